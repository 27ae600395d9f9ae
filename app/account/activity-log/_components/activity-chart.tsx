import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { ChartPoint } from "@/db/queries/activity-chart";
import { asCatalog, translatedStatusLabel } from "@/lib/activity-labels";
import { toSearchParams, type ActivityLogParams } from "@/lib/activity-log-params";
import { formatDay, formatNumber } from "@/lib/format";
import { ROUTES } from "@/lib/routes";
import { OPERATION_STATUSES, type TenantContext } from "@/lib/domain";
import { viewTotals } from "./view-data";

const COLOURS: Record<(typeof OPERATION_STATUSES)[number], string> = {
  succeeded: "bg-green-600",
  failed: "bg-red-600",
  progress: "bg-amber-500",
  decline: "bg-slate-500",
};

/*
 * Records per day (per hour for a range of two days or less), stacked by status, above the log.
 * A bar narrows the period to its day or hour. The bars are for the eye and the mouse; the same
 * numbers, each with its link, are a table one click away, for screen readers and keyboards.
 */
export async function ActivityChartView({ ctx, params }: { ctx: TenantContext; params: ActivityLogParams }) {
  // With the page's count (./view-data.ts); a failure is the results' to show.
  const chart = await viewTotals(ctx, params).then(
    (totals) => totals.chart,
    () => null,
  );
  if (!chart || chart.points.length === 0) return null;
  const [t, locale, root] = await Promise.all([getTranslations("activityLog.chart"), getLocale(), getTranslations()]);
  const labels = asCatalog(root);
  const total = (p: ChartPoint) => Object.values(p.counts).reduce((a, b) => a + (b ?? 0), 0);
  const max = Math.max(...chart.points.map(total));
  const label = (p: ChartPoint) =>
    chart.bucket === "hour"
      ? t("hourLabel", { day: formatDay(p.at.slice(0, 10), locale), hour: p.at.slice(11, 16) })
      : formatDay(p.at, locale);
  const href = (p: ChartPoint) => {
    const day = p.at.slice(0, 10);
    const narrowed =
      chart.bucket === "hour"
        ? { from: day, to: day, fromTime: p.at.slice(11, 16), toTime: `${p.at.slice(11, 13)}:59` }
        : { from: day, to: day, fromTime: null, toTime: null };
    return `${ROUTES.activityLog}?${toSearchParams(params, { ...narrowed, tz: chart.zone })}`;
  };
  const breakdown = (p: ChartPoint) =>
    OPERATION_STATUSES.filter((s) => p.counts[s])
      .map((s) => `${translatedStatusLabel(labels, s)} ${formatNumber(p.counts[s]!, locale)}`)
      .join(", ");

  return (
    <figure className="rounded border border-gray-200 bg-white p-3" data-testid="activity-chart">
      <figcaption className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">
          {t(chart.bucket === "hour" ? "titleHour" : "titleDay", { zone: chart.zone })}
        </span>
        <span className="flex flex-wrap gap-3 text-xs text-gray-700" aria-hidden="true">
          {OPERATION_STATUSES.map((s) => (
            <span key={s} className="inline-flex items-center gap-1">
              <span className={`inline-block h-2.5 w-2.5 rounded-sm ${COLOURS[s]}`} />
              {translatedStatusLabel(labels, s)}
            </span>
          ))}
        </span>
      </figcaption>
      <div className="mt-2 flex h-24 items-end gap-px" aria-hidden="true">
        {chart.points.map((p) => (
          <Link
            key={p.at}
            href={href(p)}
            tabIndex={-1}
            title={`${label(p)}: ${t("records", { count: total(p) })} (${breakdown(p)})`}
            className="flex min-w-0 flex-1 flex-col-reverse hover:opacity-75"
            style={{ height: `${Math.max(4, (total(p) / max) * 100)}%` }}
            data-testid="chart-bar"
          >
            {OPERATION_STATUSES.filter((s) => p.counts[s]).map((s) => (
              <span key={s} className={COLOURS[s]} style={{ height: `${(p.counts[s]! / total(p)) * 100}%` }} />
            ))}
          </Link>
        ))}
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-brand">{t("asTable")}</summary>
        <table className="mt-2 w-full text-left text-sm" data-testid="chart-table">
          <caption className="sr-only">
            {t(chart.bucket === "hour" ? "titleHour" : "titleDay", { zone: chart.zone })}
          </caption>
          <thead>
            <tr>
              <th scope="col" className="py-1 pr-3">
                {t(chart.bucket === "hour" ? "hour" : "day")}
              </th>
              {OPERATION_STATUSES.map((s) => (
                <th key={s} scope="col" className="py-1 pr-3 text-right">
                  {translatedStatusLabel(labels, s)}
                </th>
              ))}
              <th scope="col" className="py-1 text-right">
                {t("total")}
              </th>
            </tr>
          </thead>
          <tbody>
            {chart.points.map((p) => (
              <tr key={p.at} className="border-t border-gray-100">
                <th scope="row" className="py-1 pr-3 font-normal">
                  <Link href={href(p)} className="text-brand underline-offset-2 hover:underline">
                    {label(p)}
                  </Link>
                </th>
                {OPERATION_STATUSES.map((s) => (
                  <td key={s} className="py-1 pr-3 text-right tabular-nums">
                    {formatNumber(p.counts[s] ?? 0, locale)}
                  </td>
                ))}
                <td className="py-1 text-right tabular-nums">{formatNumber(total(p), locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

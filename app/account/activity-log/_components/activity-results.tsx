import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { recordLogAccess } from "@/db/mutations/log-access";
import { countNewerThan, DEFAULT_COUNT_CAP, type ActivityPage } from "@/db/queries/activity-records";
import { getRowAnnotations, type RowAnnotation } from "@/db/queries/activity-related";
import { listPartnerUsers } from "@/db/queries/customers";
import { defaultRange, toSearchParams, type ActivityLogParams, type PageDirection } from "@/lib/activity-log-params";
import { asCatalog } from "@/lib/activity-labels";
import { formatCount, formatDay, timeZoneLabel } from "@/lib/format";
import { annotate } from "@/lib/observability/request-context";
import { ActivityTable } from "./activity-table";
import { AutoSubmitForm } from "./auto-submit-form";
import { DayField } from "@/components/ui/day-field";
import { EmptyResult } from "./empty-result";
import { toRowView } from "./activity-row";
import { viewFilters, viewPage, viewTotals } from "./view-data";
import { ROUTES } from "@/lib/routes";
import { withExportFormat, type ExportFormat } from "@/lib/export/export-format";
import { Button, buttonClass } from "@/components/ui/button";
import type { TenantContext } from "@/lib/domain";

/*
 * The part of the page that reads the log: a page of rows and the (capped) total, side by side.
 * A database failure shows as an error, never as an empty log: an audit log that looks empty
 * because the query failed would be a lie.
 */
export async function ActivityResults({ ctx, params }: { ctx: TenantContext; params: ActivityLogParams }) {
  const [locale, root] = await Promise.all([getLocale(), getTranslations()]);
  const t = await getTranslations("activityLog");
  let page: ActivityPage;
  let total: { count: number; capped: boolean };
  let position: { count: number; capped: boolean };
  let annotations: Map<number, RowAnnotation>;
  let displayNames: Map<string, string>;
  // The newest page starts at the top; any other position is counted from its first row.
  const deep = params.cursor !== null || params.dir === "oldest";
  try {
    // The search is resolved once for the page, its count, its chart and its position.
    [page, { total }] = await Promise.all([viewPage(ctx, params), viewTotals(ctx, params)]);
    const [firstRow] = page.rows;
    position =
      deep && firstRow
        ? await countNewerThan({ ctx, params: viewFilters(ctx, params), row: firstRow })
        : { count: 0, capped: false };
    // Attempted names and later outcomes, for the few rows that have them; the page shows without.
    annotations = await getRowAnnotations({ ctx, rows: page.rows }).catch((error: unknown) => {
      console.error("could not annotate the activity log page", error);
      return new Map<number, RowAnnotation>();
    });
    annotate({ rows: page.rows.length });
    // The partner users' names, for the user column; without them it shows the UPN alone.
    const users = await listPartnerUsers({ ctx }).catch(() => []);
    displayNames = new Map(users.map((u) => [u.userPrincipalName.toLowerCase(), u.displayName]));
  } catch (error) {
    console.error("activity log query failed", error);
    return (
      <div role="alert" className="rounded border border-red-300 bg-red-50 p-4 text-red-900" data-testid="load-error">
        <p className="font-semibold">{t("results.loadErrorTitle")}</p>
        <p className="mt-1 text-sm">{t("results.loadErrorBody")}</p>
      </div>
    );
  }

  // The log records reads of itself: each new view of a range (not each page turn within it, and
  // not again for the same view within a few minutes), with how many records matched.
  if (!deep) {
    await recordLogAccess({
      ctx,
      kind: "view",
      params,
      rowCount: total.count,
      rowCountIsLowerBound: total.capped,
    }).catch((error: unknown) => console.error("could not record the view of the activity log", error));
  }

  const zoneLabel = timeZoneLabel(params.tz);
  // The view as links write it (no derived range, no resolved search), for the rows' filter links.
  const { range: _range, ...linkQuery } = params;
  const exportSearch = toSearchParams(params, { cursor: null, dir: "next" });
  const exportHref = (format: ExportFormat) => `${ROUTES.activityExport}?${withExportFormat(exportSearch, format)}`;
  const pageHref = (cursor: string | null, dir: PageDirection) =>
    `${ROUTES.activityLog}?${toSearchParams(params, { cursor, dir })}`;
  const empty = total.count === 0;
  const totalText = formatCount(total, locale);
  const period = { from: formatDay(params.from, locale), to: formatDay(params.to, locale) };
  const countPart = (chunks: React.ReactNode) => <span data-testid="result-count">{chunks}</span>;
  const countValues = { ...period, count: total.count, total: totalText, matched: countPart };
  const linkClass = buttonClass("secondary");

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-gray-700" aria-live="polite" data-testid="result-line">
          {empty
            ? countPart(t("results.noRecords", period))
            : page.rows.length === 0
              ? countPart(t("results.count", { ...period, count: total.count, total: totalText }))
              : position.capped
                ? // Past the cap the exact position is not known: say so rather than guess a number.
                  t.rich("results.beyond", { ...countValues, cap: DEFAULT_COUNT_CAP })
                : t.rich("results.position", {
                    ...countValues,
                    start: position.count + 1,
                    end: position.count + page.rows.length,
                  })}
        </p>
        {empty ? (
          <p className="text-sm text-gray-600" data-testid="export-empty">
            {t("results.exportEmpty")}
          </p>
        ) : (
          <div className="flex flex-wrap items-center gap-2" role="group" aria-label={t("results.exportGroup")}>
            <a
              href={exportHref("csv")}
              download
              data-testid="export-csv"
              className="inline-flex items-center gap-2 rounded border border-brand px-3 py-1.5 text-sm font-medium text-brand hover:bg-blue-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand"
            >
              <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current">
                <path d="M10 2a1 1 0 0 1 1 1v8.6l2.3-2.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4L9 11.6V3a1 1 0 0 1 1-1zM4 15a1 1 0 0 1 1 1v1h10v-1a1 1 0 1 1 2 0v2a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1v-2a1 1 0 0 1 1-1z" />
              </svg>
              {t("results.export")}{" "}
              <span className="font-normal" data-testid="export-count">
                · {t("results.exportRows", { count: total.count, total: totalText })}
              </span>{" "}
              <span className="sr-only">{t("results.exportHint")}</span>
            </a>
            {/* The same view in the other shapes: order lines for a spreadsheet, whole records for scripts. */}
            <a
              href={exportHref("line-items")}
              download
              data-testid="export-line-items"
              className={buttonClass("secondary")}
            >
              {t("results.exportLineItems")} <span className="sr-only">{t("results.exportLineItemsHint")}</span>
            </a>
            <a href={exportHref("ndjson")} download data-testid="export-ndjson" className={buttonClass("secondary")}>
              {t("results.exportNdjson")} <span className="sr-only">{t("results.exportNdjsonHint")}</span>
            </a>
          </div>
        )}
      </div>

      {page.rows.length === 0 ? (
        <div
          className="rounded border border-dashed border-gray-300 bg-white p-8 text-center text-gray-700"
          data-testid="empty-state"
        >
          {empty ? <EmptyResult ctx={ctx} params={params} /> : t("results.noMore")}
        </div>
      ) : (
        <ActivityTable
          rows={page.rows.map((r) =>
            toRowView(r, { timeZone: params.tz, locale, t: asCatalog(root), displayNames }, annotations.get(r.id)),
          )}
          timeZoneLabel={zoneLabel}
          timeZone={params.tz}
          query={linkQuery}
        />
      )}

      <nav aria-label={t("pagination.label")} className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <div className="flex flex-wrap gap-2">
          {deep && (
            <Link href={pageHref(null, "next")} className={linkClass}>
              {t("pagination.newest")}
            </Link>
          )}
          {page.prevCursor ? (
            <Link href={pageHref(page.prevCursor, "prev")} rel="prev" className={linkClass}>
              {t("pagination.newer")}
            </Link>
          ) : (
            <span aria-disabled="true" className="rounded border border-gray-200 px-3 py-1.5 text-gray-500">
              {t("pagination.newer")}
            </span>
          )}
          {page.nextCursor ? (
            <Link href={pageHref(page.nextCursor, "next")} rel="next" className={linkClass}>
              {t("pagination.older")}
            </Link>
          ) : (
            <span aria-disabled="true" className="rounded border border-gray-200 px-3 py-1.5 text-gray-500">
              {t("pagination.older")}
            </span>
          )}
          {page.nextCursor && (
            <Link href={pageHref(null, "oldest")} className={linkClass}>
              {t("pagination.oldest")}
            </Link>
          )}
        </div>
        <span className="text-gray-600">{t("pagination.perPage", { size: params.size })}</span>
      </nav>
    </div>
  );
}

/*
 * Jump to a day: a GET form that sends the view as it is (no position) beside the chosen day,
 * which the parser turns into a cursor. Outside the results' Suspense boundary, so it is in the
 * first HTML and works before (or without) any JavaScript; with it, the day typed as the page
 * writes days travels as YYYY-MM-DD, as the filter form's do.
 */
export async function JumpToDate({ params }: { params: ActivityLogParams }) {
  const [t, locale] = await Promise.all([getTranslations("activityLog"), getLocale()]);
  const viewFields = [...toSearchParams(params, { cursor: null, dir: "next" })];
  return (
    <AutoSubmitForm
      action={ROUTES.activityLog}
      defaults={defaultRange(params.tz)}
      className="flex flex-wrap items-end gap-2 text-sm"
      testId="jump-form"
    >
      {viewFields.map(([name, value], i) => (
        <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
      ))}
      <div className="flex flex-col text-gray-700">
        <label htmlFor="jump-at">{t("jump.label")}</label>
        <DayField
          id="jump-at"
          name="at"
          day={params.to}
          locale={locale}
          min={params.from}
          max={params.to}
          required
          describedBy="jump-hint"
          pickLabel={t("jump.pick")}
          className="w-32 rounded border border-gray-400 px-2 py-1"
        />
      </div>
      <Button type="submit" variant="secondary">
        {t("jump.submit")}
      </Button>
      <span id="jump-hint" className="sr-only">
        {t("jump.hint")}
      </span>
    </AutoSubmitForm>
  );
}

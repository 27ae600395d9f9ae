import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { countActivity } from "@/db/queries/activity-records";
import { EMPTY_FILTERS, toSearchParams, type ActivityLogParams } from "@/lib/activity-log-params";
import { formatDay } from "@/lib/format";
import { ROUTES } from "@/lib/routes";
import type { TenantContext } from "@/lib/domain";

/** Whether the view narrows the log beyond its period (log access only widens it). */
export function hasFilters(params: ActivityLogParams): boolean {
  return Boolean(
    params.q ||
    params.customer ||
    params.correlation ||
    params.action.length > 0 ||
    params.user.length > 0 ||
    params.status.length > 0,
  );
}

/*
 * Nothing to show: say whether the period itself holds no records or the filters matched none of
 * its records, and in the second case offer to clear them (the period and zone stay). Finding out
 * is one probe for any record in the period (a count capped at zero).
 */
export async function EmptyResult({ ctx, params }: { ctx: TenantContext; params: ActivityLogParams }) {
  const [t, locale] = await Promise.all([getTranslations("activityLog.results"), getLocale()]);
  const period = { from: formatDay(params.from, locale), to: formatDay(params.to, locale) };
  const periodHasRecords =
    hasFilters(params) &&
    (await countActivity({ ctx, params: { ...params, ...EMPTY_FILTERS }, cap: 0 }).then(
      (r) => r.capped,
      () => false,
    ));
  if (!periodHasRecords) return <span data-empty="period">{t("emptyRange", period)}</span>;
  return (
    <span data-empty="filters" className="flex flex-col items-center gap-2">
      <span>{t("noMatch", period)}</span>
      <Link
        href={`${ROUTES.activityLog}?${toSearchParams(params, EMPTY_FILTERS)}`}
        className="rounded border border-brand px-3 py-1 text-sm font-medium text-brand hover:bg-blue-50"
        data-testid="clear-filters"
      >
        {t("clearFilters")}
      </Link>
    </span>
  );
}

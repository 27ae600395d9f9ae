import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { PartnerUserOption } from "@/db/queries/customers";
import { asCatalog, translatedActionLabel, translatedStatusLabel } from "@/lib/activity-labels";
import {
  INCLUDE_LOG_ACCESS_VALUE,
  MAX_SEARCH_LENGTH,
  PAGE_SIZES,
  presetRange,
  RANGE_PRESETS,
  toSearchParams,
  type ActivityLogQuery,
} from "@/lib/activity-log-params";
import { formatNumber } from "@/lib/format";
import { ROUTES } from "@/lib/routes";
import { OPERATION_STATUSES } from "@/lib/domain";

const inputClass =
  "mt-1 block w-full rounded border border-gray-300 bg-white px-2 py-1.5 text-sm focus:border-brand focus:outline-none focus:ring-1 focus:ring-brand";

/**
 * The period and the filters, as a plain GET form: every choice ends up in the URL, so a view can
 * be bookmarked and shared, and the form works before (or without) JavaScript.
 */
export async function ActivityFilters({
  query,
  users,
  operationTypes,
}: {
  query: ActivityLogQuery;
  users: PartnerUserOption[];
  operationTypes: string[];
}) {
  const [locale, root] = await Promise.all([getLocale(), getTranslations()]);
  const t = await getTranslations("activityLog.filters");
  const labels = asCatalog(root);
  // Sorted as the reader reads the labels: alphabetically in English, in 가나다 order in Korean.
  const collator = new Intl.Collator(locale);
  const actions = [...new Set([...operationTypes, ...(query.action ? [query.action] : [])])]
    .map((type) => ({ type, label: translatedActionLabel(labels, type) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  const userChoices =
    users.some((u) => u.userPrincipalName.toLowerCase() === query.user?.toLowerCase()) || !query.user
      ? users
      : [...users, { userPrincipalName: query.user, displayName: query.user }];

  return (
    <form
      method="get"
      action={ROUTES.activityLog}
      aria-label={t("formLabel")}
      className="space-y-3 rounded border border-gray-200 bg-white p-4"
    >
      {query.tz !== "UTC" && <input type="hidden" name="tz" value={query.tz} />}
      {query.correlation && (
        <p
          className="flex flex-wrap items-center gap-2 rounded bg-blue-50 px-3 py-2 text-sm"
          data-testid="correlation-filter"
        >
          <input type="hidden" name="correlation" value={query.correlation} />
          <span>{t("correlationActive", { id: query.correlation })}</span>
          <Link
            href={`${ROUTES.activityLog}?${toSearchParams(query, { correlation: null })}`}
            className="text-brand underline-offset-2 hover:underline"
          >
            {t("correlationClear")}
          </Link>
        </p>
      )}
      <div className="text-sm">
        <label htmlFor="filter-search" className="font-medium">
          {t("search")}
        </label>
        <input
          id="filter-search"
          type="search"
          name="q"
          defaultValue={query.q ?? ""}
          placeholder={t("searchPlaceholder")}
          maxLength={MAX_SEARCH_LENGTH}
          aria-describedby="filter-search-help"
          className={inputClass}
        />
        <p id="filter-search-help" className="mt-1 text-xs text-gray-600">
          {t("searchHelp")}
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <div className="text-sm">
          <label htmlFor="filter-from" className="font-medium">
            {t("from")}
          </label>
          <input
            id="filter-from"
            type="date"
            name="from"
            defaultValue={query.from}
            required
            className={inputClass}
            aria-describedby="date-format"
          />
        </div>
        <div className="text-sm">
          <label htmlFor="filter-to" className="font-medium">
            {t("to")}
          </label>
          <input
            id="filter-to"
            type="date"
            name="to"
            defaultValue={query.to}
            required
            className={inputClass}
            aria-describedby="date-format"
          />
        </div>
        <nav aria-label={t("quickRanges")} className="flex flex-wrap gap-2 pb-1.5 text-sm">
          {RANGE_PRESETS.map((preset) => {
            const range = presetRange(preset, query.tz);
            const active = range.from === query.from && range.to === query.to;
            return (
              <Link
                key={preset}
                href={`${ROUTES.activityLog}?${toSearchParams(query, range)}`}
                aria-current={active ? "true" : undefined}
                className={`rounded-full border px-3 py-1 ${active ? "border-brand bg-brand text-white" : "border-gray-300 text-gray-700 hover:bg-gray-50"}`}
              >
                {t(`presets.${preset}`)}
              </Link>
            );
          })}
        </nav>
      </div>
      <p id="date-format" className="text-xs text-gray-600">
        {t("dateHelp")}
      </p>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <div className="text-sm">
          <label htmlFor="filter-customer" className="font-medium">
            {t("customer")}
          </label>
          <input
            id="filter-customer"
            type="search"
            name="customer"
            defaultValue={query.customer ?? ""}
            placeholder={t("customerPlaceholder")}
            maxLength={200}
            className={inputClass}
          />
        </div>
        <div className="text-sm">
          <label htmlFor="filter-action" className="font-medium">
            {t("action")}
          </label>
          <select id="filter-action" name="action" defaultValue={query.action ?? ""} className={inputClass}>
            <option value="">{t("allActions")}</option>
            {actions.map((a) => (
              <option key={a.type} value={a.type}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div className="text-sm">
          <label htmlFor="filter-partner-user" className="font-medium">
            {t("partnerUser")}
          </label>
          <select id="filter-partner-user" name="user" defaultValue={query.user ?? ""} className={inputClass}>
            <option value="">{t("allPartnerUsers")}</option>
            {userChoices.map((u) => (
              <option key={u.userPrincipalName} value={u.userPrincipalName}>
                {t("userOption", { name: u.displayName, upn: u.userPrincipalName })}
              </option>
            ))}
          </select>
        </div>
        <div className="text-sm">
          <label htmlFor="filter-status" className="font-medium">
            {t("status")}
          </label>
          <select id="filter-status" name="status" defaultValue={query.status ?? ""} className={inputClass}>
            <option value="">{t("allStatuses")}</option>
            {OPERATION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {translatedStatusLabel(labels, s)}
              </option>
            ))}
          </select>
        </div>
        <div className="text-sm">
          <label htmlFor="filter-rows-per-page" className="font-medium">
            {t("rowsPerPage")}
          </label>
          <select id="filter-rows-per-page" name="size" defaultValue={String(query.size)} className={inputClass}>
            {PAGE_SIZES.map((s) => (
              <option key={s} value={s}>
                {formatNumber(s, locale)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {/* Unchecked, a GET form sends nothing: the parser's default, so no hidden twin is needed. */}
      <div className="flex items-start gap-2 text-sm">
        <input
          id="filter-include-log-access"
          type="checkbox"
          name="access"
          value={INCLUDE_LOG_ACCESS_VALUE}
          defaultChecked={query.includeLogAccess}
          aria-describedby="filter-include-log-access-help"
          className="mt-0.5 h-4 w-4 rounded border-gray-300 text-brand focus:ring-brand"
        />
        <div>
          <label htmlFor="filter-include-log-access" className="font-medium">
            {t("includeLogAccess")}
          </label>
          <p id="filter-include-log-access-help" className="text-xs text-gray-600">
            {t("includeLogAccessHelp")}
          </p>
        </div>
      </div>
      <div className="flex items-center gap-3">
        <button
          type="submit"
          className="rounded bg-brand px-4 py-1.5 text-sm font-medium text-white hover:bg-brand-dark focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand"
        >
          {t("apply")}
        </button>
        <Link
          href={query.tz === "UTC" ? ROUTES.activityLog : `${ROUTES.activityLog}?tz=${encodeURIComponent(query.tz)}`}
          className="text-sm text-brand underline-offset-2 hover:underline"
        >
          {t("reset")}
        </Link>
      </div>
    </form>
  );
}

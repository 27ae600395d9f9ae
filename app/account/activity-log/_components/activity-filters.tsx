import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import type { PartnerUserOption } from "@/db/queries/customers";
import { asCatalog, translatedActionLabel, translatedStatusLabel } from "@/lib/activity-labels";
import {
  DEFAULT_PAGE_SIZE,
  defaultRange,
  EMPTY_FILTERS,
  EXCLUDE_ACTIONS_VALUE,
  INCLUDE_LOG_ACCESS_VALUE,
  MAX_SEARCH_LENGTH,
  PAGE_SIZES,
  presetRange,
  RANGE_PRESETS,
  toSearchParams,
  type ActivityLogQuery,
} from "@/lib/activity-log-params";
import { TIME_INPUT_PATTERN } from "@/lib/day-text";
import { formatDay, formatNumber } from "@/lib/format";
import { ROUTES } from "@/lib/routes";
import { OPERATION_STATUSES } from "@/lib/domain";
import { AutoSubmitForm } from "./auto-submit-form";
import { DateRangeGuard } from "./date-range-guard";
import { DayField } from "@/components/ui/day-field";
import { FilterFold } from "./filter-fold";
import { Button } from "@/components/ui/button";

const fieldClass =
  "rounded border border-gray-300 bg-white px-2 py-1.5 text-sm focus:border-brand focus:outline-none focus:ring-1 focus:ring-brand";
const inputClass = `mt-1 block w-full ${fieldClass}`;
// Wide enough for the longest day as the page writes it ("Sep 30, 2026", "2026. 09. 30.").
const dayInputClass = `w-32 ${fieldClass}`;
const timeInputClass = `mt-1 block w-20 ${fieldClass}`;

/**
 * The period and the filters, as a plain GET form: every choice ends up in the URL, so a view can
 * be bookmarked and shared, and the form works before (or without) JavaScript. Actions, partner
 * users and statuses are lists of boxes to tick (any of the ticked values matches); with
 * JavaScript a tick applies at once (AutoSubmitForm).
 */
export async function ActivityFilters({
  query,
  users,
  operationTypes,
  customerNames = [],
}: {
  query: ActivityLogQuery;
  users: PartnerUserOption[];
  operationTypes: string[];
  /** Suggestions for the customer field (a typeahead without JavaScript: a datalist). */
  customerNames?: string[];
}) {
  const [locale, root] = await Promise.all([getLocale(), getTranslations()]);
  const t = await getTranslations("activityLog.filters");
  const labels = asCatalog(root);
  // Sorted as the reader reads the labels: alphabetically in English, in 가나다 order in Korean.
  const collator = new Intl.Collator(locale);
  const actions = [...new Set([...operationTypes, ...query.action])]
    .map((type) => ({ value: type, label: translatedActionLabel(labels, type) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  const known = new Set(users.map((u) => u.userPrincipalName.toLowerCase()));
  const userChoices = [
    ...users,
    ...query.user.filter((u) => !known.has(u.toLowerCase())).map((u) => ({ userPrincipalName: u, displayName: u })),
  ].map((u) => ({
    value: u.userPrincipalName,
    label: t("userOption", { name: u.displayName, upn: u.userPrincipalName }),
    short: u.displayName,
  }));
  const chosenUsers = new Set(query.user.map((u) => u.toLowerCase()));
  const statuses = OPERATION_STATUSES.map((s) => ({ value: s, label: translatedStatusLabel(labels, s) }));

  const format = new Intl.ListFormat(locale, { type: "disjunction" });
  const summaryOf = (chosen: string[], all: { value: string; label: string; short?: string }[], none: string) => {
    const names = chosen.map((v) => {
      const option = all.find((o) => o.value.toLowerCase() === v.toLowerCase());
      return option?.short ?? option?.label ?? v;
    });
    if (names.length === 0) return none;
    if (names.length <= 2) return format.format(names);
    return t("selectedCount", { count: names.length });
  };

  const active =
    query.action.length +
    query.user.length +
    query.status.length +
    [query.q, query.customer, query.correlation, query.includeLogAccess || null].filter(Boolean).length;

  return (
    <FilterFold label={t("fold", { count: active })}>
      <AutoSubmitForm
        action={ROUTES.activityLog}
        label={t("formLabel")}
        testId="filters-form"
        defaults={defaultRange(query.tz)}
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
            <DayField
              id="filter-from"
              name="from"
              day={query.from}
              locale={locale}
              max={query.to}
              required
              describedBy="date-format"
              pickLabel={t("pickDay", { field: t("from") })}
              className={dayInputClass}
            />
          </div>
          <div className="text-sm">
            <label htmlFor="filter-from-time" className="font-medium">
              {t("fromTime")}
            </label>
            <input
              id="filter-from-time"
              type="text"
              inputMode="numeric"
              name="fromTime"
              defaultValue={query.fromTime ?? ""}
              pattern={TIME_INPUT_PATTERN}
              maxLength={5}
              placeholder={t("timePlaceholder")}
              autoComplete="off"
              className={timeInputClass}
              aria-describedby="time-help"
            />
          </div>
          <div className="text-sm">
            <label htmlFor="filter-to" className="font-medium">
              {t("to")}
            </label>
            <DayField
              id="filter-to"
              name="to"
              day={query.to}
              locale={locale}
              min={query.from}
              required
              describedBy="date-format"
              pickLabel={t("pickDay", { field: t("to") })}
              className={dayInputClass}
            />
          </div>
          <div className="text-sm">
            <label htmlFor="filter-to-time" className="font-medium">
              {t("toTime")}
            </label>
            <input
              id="filter-to-time"
              type="text"
              inputMode="numeric"
              name="toTime"
              defaultValue={query.toTime ?? ""}
              pattern={TIME_INPUT_PATTERN}
              maxLength={5}
              placeholder={t("timePlaceholder")}
              autoComplete="off"
              className={timeInputClass}
              aria-describedby="time-help"
            />
          </div>
          <nav aria-label={t("quickRanges")} className="flex flex-wrap gap-2 pb-1.5 text-sm">
            {RANGE_PRESETS.map((preset) => {
              const range = presetRange(preset, query.tz);
              const active =
                range.from === query.from &&
                range.to === query.to &&
                range.fromTime === query.fromTime &&
                query.toTime === null;
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
        <DateRangeGuard
          fromId="filter-from"
          toId="filter-to"
          message={root("activityLog.paramErrors.codes.from_after_to", {
            label: root("activityLog.paramErrors.params.from"),
            toLabel: root("activityLog.paramErrors.params.to"),
          })}
        />
        <p id="date-format" className="text-xs text-gray-600">
          {/* Each day kept on one line: "2026-12-04" broken at a hyphen reads as two things. */}
          {t.rich("dateHelp", {
            example: formatDay(query.to, locale),
            iso: query.to,
            day: (chunks) => <span className="whitespace-nowrap">{chunks}</span>,
          })}
        </p>
        <p id="time-help" className="text-xs text-gray-600">
          {t("timeHelp")}
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
              list={customerNames.length > 0 ? "filter-customer-options" : undefined}
              autoComplete="off"
              className={inputClass}
            />
            {customerNames.length > 0 && (
              <datalist id="filter-customer-options" data-testid="customer-options">
                {customerNames.map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
            )}
          </div>
          <MultiSelect
            id="filter-action"
            name="action"
            label={t("action")}
            summary={
              query.excludeActions
                ? t("exceptSummary", { actions: summaryOf(query.action, actions, t("allActions")) })
                : summaryOf(query.action, actions, t("allActions"))
            }
            options={actions}
            chosen={(v) => query.action.includes(v)}
          >
            <div className="mt-2 flex items-start gap-2 border-t border-gray-200 pt-2">
              <input
                id="filter-action-exclude"
                type="checkbox"
                name="actionMode"
                value={EXCLUDE_ACTIONS_VALUE}
                defaultChecked={query.excludeActions}
                aria-describedby="filter-action-exclude-help"
                className="mt-0.5 h-4 w-4 rounded border-gray-300 text-brand focus:ring-brand"
              />
              <div>
                <label htmlFor="filter-action-exclude" className="font-medium">
                  {t("excludeActions")}
                </label>
                <p id="filter-action-exclude-help" className="text-xs text-gray-600">
                  {t("excludeActionsHelp")}
                </p>
              </div>
            </div>
          </MultiSelect>
          <MultiSelect
            id="filter-partner-user"
            name="user"
            label={t("partnerUser")}
            summary={summaryOf(query.user, userChoices, t("allPartnerUsers"))}
            options={userChoices}
            chosen={(v) => chosenUsers.has(v.toLowerCase())}
          />
          <MultiSelect
            id="filter-status"
            name="status"
            label={t("status")}
            summary={summaryOf(query.status, statuses, t("allStatuses"))}
            options={statuses}
            chosen={(v) => (query.status as string[]).includes(v)}
          />
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
          <Button type="submit">{t("apply")}</Button>
          {/* Everything back to its default but the zone, which is how the reader reads times. */}
          <Link
            href={`${ROUTES.activityLog}?${toSearchParams(query, {
              ...EMPTY_FILTERS,
              ...defaultRange(query.tz),
              fromTime: null,
              toTime: null,
              size: DEFAULT_PAGE_SIZE,
            })}`}
            className="text-sm text-brand underline-offset-2 hover:underline"
            data-testid="reset-filters"
          >
            {t("reset")}
          </Link>
        </div>
      </AutoSubmitForm>
    </FilterFold>
  );
}

/**
 * A list of boxes behind a button-like summary (a disclosure, so it opens and closes without
 * JavaScript); the summary says what is chosen. Ticked boxes submit as repeated params.
 */
function MultiSelect({
  id,
  name,
  label,
  summary,
  options,
  chosen,
  children,
}: {
  id: string;
  name: string;
  label: string;
  summary: string;
  options: { value: string; label: string }[];
  chosen: (value: string) => boolean;
  children?: React.ReactNode;
}) {
  return (
    <div className="text-sm">
      <span id={`${id}-label`} className="font-medium">
        {label}
      </span>
      <details id={id} className="relative mt-1" data-testid={`${id}-list`}>
        <summary
          aria-labelledby={`${id}-label ${id}-summary`}
          className="flex cursor-pointer list-none items-center justify-between gap-2 rounded border border-gray-300 bg-white px-2 py-1.5 focus:border-brand focus:outline-none focus:ring-1 focus:ring-brand [&::-webkit-details-marker]:hidden"
        >
          <span id={`${id}-summary`} className="truncate" data-testid={`${id}-summary`}>
            {summary}
          </span>
          <span aria-hidden="true" className="text-gray-500">
            ▾
          </span>
        </summary>
        <fieldset className="absolute left-0 z-20 mt-1 max-h-72 w-72 max-w-[85vw] overflow-y-auto rounded border border-gray-300 bg-white p-2 shadow-lg">
          <legend className="sr-only">{label}</legend>
          <ul className="space-y-1">
            {options.map((option, i) => (
              <li key={option.value} className="flex items-start gap-2">
                <input
                  id={`${id}-${i}`}
                  type="checkbox"
                  name={name}
                  value={option.value}
                  defaultChecked={chosen(option.value)}
                  className="mt-0.5 h-4 w-4 shrink-0 rounded border-gray-300 text-brand focus:ring-brand"
                />
                <label htmlFor={`${id}-${i}`} className="break-words">
                  {option.label}
                </label>
              </li>
            ))}
          </ul>
          {children}
        </fieldset>
      </details>
    </div>
  );
}

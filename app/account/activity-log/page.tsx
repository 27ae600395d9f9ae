import type { Metadata } from "next";
import { Suspense } from "react";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { listCustomers, listOperationTypes, listPartnerUsers, type PartnerUserOption } from "@/db/queries/customers";
import { getPageContext } from "@/lib/auth/page-context";
import {
  defaultRange,
  EMPTY_FILTERS,
  isCanonicalAddress,
  PAGE_SIZES,
  parseActivityLogParams,
  toSearchParams,
  type ActivityLogQuery,
  type ParamError,
} from "@/lib/activity-log-params";
import { formatDay, timeZoneLabel } from "@/lib/format";
import { ROUTES } from "@/lib/routes";
import { listViewsFor, openingViewFor } from "@/lib/saved-views";
import type { SavedView } from "@/db/saved-views";
import { ActiveFilters } from "./_components/active-filters";
import { ActivityChartView } from "./_components/activity-chart";
import { ActivityFilters } from "./_components/activity-filters";
import { ActivityResults, JumpToDate } from "./_components/activity-results";
import { NO_VIEW_PARAM, SavedViews } from "./_components/saved-views";
import { TableSkeleton } from "./_components/table-skeleton";
import { TimeZoneSwitch } from "./_components/time-zone-switch";
import { OPERATION_STATUSES } from "@/lib/domain";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("activityLog");
  return { title: t("title") };
}

/** How many customer names the customer field suggests (the first, by name). */
const CUSTOMER_SUGGESTIONS = 500;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ActivityLogPage({ searchParams }: { searchParams: SearchParams }) {
  const ctx = await getPageContext({ permission: "view_activity_log" });
  const raw = await searchParams;
  // An address that names nothing opens the reader's default view, if they chose one.
  if (Object.keys(raw).length === 0) {
    const opening = await openingViewFor(ctx);
    if (opening?.query) redirect(`${ROUTES.activityLog}?${opening.query}`);
  }
  // "No view" (`view=none`) is only that: the parser reads the filters, and it names none.
  const filterParams = Object.fromEntries(Object.entries(raw).filter(([name]) => name !== NO_VIEW_PARAM));
  const parsed = parseActivityLogParams(filterParams);
  // A plain form (no JavaScript) sends its empty fields too, and days as typed: the address carries
  // only what is set, in one spelling.
  if (parsed.ok && !isCanonicalAddress(filterParams)) {
    const clean = toSearchParams(parsed.value, {}, {}).toString();
    redirect(clean ? `${ROUTES.activityLog}?${clean}` : ROUTES.activityLog);
  }
  const [t, format, locale] = await Promise.all([getTranslations("activityLog"), getFormatter(), getLocale()]);

  // Filter choices are a convenience: if they fail to load, the log (and its error) still shows.
  const [users, operationTypes, customerNames, savedViews] = await Promise.all([
    listPartnerUsers({ ctx }).catch((): PartnerUserOption[] => []),
    listOperationTypes({ ctx }).catch((): string[] => []),
    listCustomers({ ctx, limit: CUSTOMER_SUGGESTIONS })
      .then((list) => [...new Set(list.map((c) => c.companyName))])
      .catch((): string[] => []),
    listViewsFor(ctx).catch((): SavedView[] => []),
  ]);

  // With bad parameters, every valid one is kept (the bad ones at their defaults) beside the message.
  const view = parsed.ok ? parsed.value : parsed.partial;
  const query: ActivityLogQuery = view
    ? view
    : {
        ...defaultRange("UTC"),
        fromTime: null,
        toTime: null,
        tz: "UTC",
        ...EMPTY_FILTERS,
        size: 25,
        record: null,
        cursor: null,
        dir: "next",
      };

  // The parser's codes in the reader's language (the export API answers with its English sentences).
  const describe = (error: ParamError) =>
    t(`paramErrors.codes.${error.code}`, {
      label: t(`paramErrors.params.${error.param}`),
      fromLabel: t("paramErrors.params.from"),
      toLabel: t("paramErrors.params.to"),
      // A day written as this page writes it, and as the address does, for "must be a date such as".
      example: formatDay(query.to, locale),
      iso: query.to,
      choices: format.list(error.param === "size" ? PAGE_SIZES.map(String) : [...OPERATION_STATUSES], {
        type: "disjunction",
      }),
      ...error.values,
    });

  return (
    <div className="space-y-4">
      {/* Past the filters in one step: the results are what a keyboard user comes back for. */}
      {view && (
        <a
          href="#results"
          className="sr-only focus:not-sr-only focus:inline-block focus:rounded focus:bg-white focus:p-2 focus:text-brand focus:outline focus:outline-2 focus:outline-brand"
        >
          {t("results.skipToResults")}
        </a>
      )}
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <TimeZoneSwitch query={query} label={timeZoneLabel(query.tz)} />
      </div>
      <p className="text-sm text-gray-700">{t("intro")}</p>
      <SavedViews query={query} views={savedViews} />

      {!parsed.ok && (
        <div
          role="alert"
          className="rounded border border-amber-300 bg-amber-50 p-4 text-amber-950"
          data-testid="param-errors"
        >
          <p className="font-semibold">{t("paramErrors.heading")}</p>
          <ul className="mt-1 list-disc pl-5 text-sm">
            {parsed.errors.map((e) => (
              <li key={e.param + e.code}>{describe(e)}</li>
            ))}
          </ul>
          <p className="mt-2 text-sm">{t("paramErrors.footer")}</p>
        </div>
      )}

      {/*
        Keyed by the view so a navigation starts both afresh. The keys are siblings': they must
        differ, or React loses track of the old form and leaves it on the page beside the new one.
      */}
      <ActivityFilters
        key={`filters?${toSearchParams(query).toString()}${parsed.ok ? "" : "&invalid"}`}
        query={query}
        users={users}
        operationTypes={operationTypes}
        customerNames={customerNames}
      />

      {view && (
        <section
          id="results"
          tabIndex={-1}
          aria-label={t("results.region")}
          className="space-y-3 scroll-mt-4 outline-none"
        >
          <ActiveFilters query={view} users={users} />
          <JumpToDate params={view} />
          <Suspense key={`chart?${toSearchParams(view).toString()}`} fallback={null}>
            <ActivityChartView ctx={ctx} params={view} />
          </Suspense>
          <Suspense key={`results?${toSearchParams(view).toString()}`} fallback={<TableSkeleton />}>
            <ActivityResults ctx={ctx} params={view} />
          </Suspense>
        </section>
      )}
    </div>
  );
}

import { cache } from "react";
import { countWithChart } from "@/db/queries/activity-chart";
import { getActivityPage, shareSearch } from "@/db/queries/activity-records";
import type { ActivityLogParams } from "@/lib/activity-log-params";
import type { TenantContext } from "@/lib/domain";

/*
 * What the results and the chart read, once per request (React's cache, keyed by the page's own
 * ctx and view objects): the page of rows, and beside it the count read with the chart in one
 * transaction. A search is resolved once, in the rows' transaction, while the count's begins.
 */

const sharedSearch = cache((_ctx: TenantContext, view: ActivityLogParams) => shareSearch(view));

export const viewPage = cache((ctx: TenantContext, view: ActivityLogParams) => {
  const search = sharedSearch(ctx, view);
  return search.settle(getActivityPage({ ctx, params: search.first }));
});

export const viewTotals = cache((ctx: TenantContext, view: ActivityLogParams) => {
  // The count waits for the rows' resolution of a search: make sure the rows are read.
  viewPage(ctx, view).catch(() => {});
  return countWithChart({ ctx, params: sharedSearch(ctx, view).second, timeZone: view.tz });
});

/** The view with its search as the page resolved it, for the page's further reads. */
export const viewFilters = (ctx: TenantContext, view: ActivityLogParams) => sharedSearch(ctx, view).second;

import { cache } from "react";
import { countWithChart } from "@/db/queries/activity-chart";
import { resolveActivitySearch } from "@/db/queries/activity-records";
import type { ActivityLogParams } from "@/lib/activity-log-params";
import type { TenantContext } from "@/lib/domain";

/*
 * What the results and the chart both read, once per request (React's cache, keyed by the page's
 * own ctx and view objects): the search resolved once, and the count read with the chart in one
 * transaction.
 */

export const resolvedView = cache((ctx: TenantContext, view: ActivityLogParams) =>
  resolveActivitySearch({ ctx, params: view }),
);

export const viewTotals = cache(async (ctx: TenantContext, view: ActivityLogParams) =>
  countWithChart({ ctx, params: await resolvedView(ctx, view), timeZone: view.tz }),
);

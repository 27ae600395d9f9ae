import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Database } from "@/db/client";
import { countActivity, getActivityPage, shareSearch, type ActivityFilters } from "@/db/queries/activity-records";
import { countWithChart } from "@/db/queries/activity-chart";
import * as schema from "@/db/schema";
import type { Cursor } from "@/lib/cursor";
import type { BenchConfig } from "./config";
import { tenantOf, type BenchTenant } from "./directory";
import { interleaved, round, summarize, summaryOf, type Log, type Summary } from "../harness/util";

/*
 * The Activity log page's server time: the two queries the page runs side by side
 * (ActivityResults: getActivityPage + countActivity in Promise.all), called exactly as the page
 * calls them, through withTenant (row-level security, the activity_app role) on a pool of its own.
 * Every variant is timed in the same interleaved rounds, so the ratios compare like with like.
 *
 * Variants:
 * - first page vs the page at depth N (N "next" clicks), for the big tenant, without and with a
 *   filter (status = failed), and for the mid (1 M) tenant;
 * - the first page of the big (10 M) and the mid (1 M) tenant vs the small (10 k) one, without and
 *   with filters (status = failed and action = update_subscription);
 * - the page's two queries on their own (rows, count), to show which one costs what.
 * The cursor at depth N is found once by walking the pages (timed too, as a walk).
 */

const DAY_MS = 86_400_000;
const STATUS_FILTER = { status: "failed" as const };
const COMBINED_FILTER = { status: "failed" as const, action: "update_subscription" };

type Filters = Pick<ActivityFilters, "status" | "action" | "q" | "user" | "excludeActions">;
/*
 * A customer name no record has: the search's rare-name path (the walk over the tenant's distinct
 * folded names, then one probe of the name index) without depending on the dataset's names, which
 * are all common.
 */
const RARE_NAME_FILTER = { q: "Zyxwvut Rare Holdings" };

export interface PageVariantResult {
  tenant: string;
  tenantRecords: number;
  filters: Filters;
  depth: number;
  /** Milliseconds per page view (both queries, as the page runs them). */
  ms: Summary;
  rows: number;
  count: number;
  capped: boolean;
}

export interface PageResults {
  range: { start: string; end: string; days: number };
  pageSize: number;
  depth: number;
  reps: number;
  walk: { tenant: string; filters: Filters; pages: number; seconds: number; msPerPage: number }[];
  variants: Record<string, PageVariantResult>;
  /** The first page with the activity chart beside it, and without, in ms. */
  chart: { page: Summary; withChart: Summary };
  /** The page's two queries timed alone (first page), in ms. */
  parts: Record<string, { rows: Summary; count: Summary }>;
}

export async function measurePages(
  url: string,
  directory: BenchTenant[],
  config: BenchConfig,
  anchor: Date,
  log: Log,
): Promise<PageResults> {
  const client = postgres(url, { max: 4, onnotice: () => {}, connection: { application_name: "bench:page" } });
  const db = drizzle(client, { schema }) as unknown as Database;
  const { size, depth, rangeDays, reps, warmup } = config.page;
  const range = { start: new Date(anchor.getTime() - rangeDays * DAY_MS), end: anchor };
  const big = tenantOf(directory, "big");
  const mid = tenantOf(directory, "mid");
  const small = tenantOf(directory, "small");

  const scope = (t: BenchTenant) => ({ tenantId: t.id, cloud: t.cloud });
  const rowsQuery = (t: BenchTenant, filters: Filters, cursor: Cursor | null) =>
    getActivityPage({ ctx: scope(t), params: { range, ...filters, size, cursor, dir: "next" }, db });
  const countQuery = (t: BenchTenant, filters: Filters) =>
    countActivity({ ctx: scope(t), params: { range, ...filters }, db });
  // As the page runs them: the rows and the count side by side, a search resolved once by the rows.
  const pageView = (t: BenchTenant, filters: Filters, cursor: Cursor | null) => {
    const search = shareSearch({ range, ...filters });
    return Promise.all([search.settle(rowsQuery(t, search.first, cursor)), countQuery(t, search.second)]);
  };

  async function multiSelectFilter(t: BenchTenant): Promise<Filters> {
    const users = [...new Set((await rowsQuery(t, {}, null)).rows.map((r) => r.userPrincipalName))].slice(0, 3);
    return {
      status: ["succeeded", "failed"],
      action: ["create_order", "update_subscription"],
      user: users,
    };
  }

  const walk: PageResults["walk"] = [];
  async function cursorAtDepth(t: BenchTenant, filters: Filters): Promise<Cursor> {
    let cursor: Cursor | null = null;
    const t0 = performance.now();
    for (let i = 0; i < depth; i++) {
      const page = await rowsQuery(t, filters, cursor);
      const last = page.rows.at(-1);
      if (!page.nextCursor || !last)
        throw new Error(
          `${t.name} has fewer than ${depth} pages of ${size} in the range (filters ${JSON.stringify(filters)})`,
        );
      cursor = { occurredAt: last.occurredAt, id: last.id };
    }
    const secs = (performance.now() - t0) / 1000;
    walk.push({ tenant: t.key, filters, pages: depth, seconds: round(secs), msPerPage: round((secs * 1000) / depth) });
    return cursor!;
  }

  try {
    log(`page: walking ${depth} pages of ${size} to find the cursors at depth ${depth}`);
    const deepBig = await cursorAtDepth(big, {});
    const deepBigFailed = await cursorAtDepth(big, STATUS_FILTER);
    const deepMid = await cursorAtDepth(mid, {});
    // A UUID search: the correlation id of a record on the first page.
    const uuidFilter = { q: (await rowsQuery(big, {}, null)).rows.at(-1)!.correlationId };

    // Multi-select filters: two statuses and two actions at once; and with three users besides.
    const multiFilter: Filters = { status: ["succeeded", "failed"], action: ["create_order", "update_subscription"] };
    const multiUsersFilter = await multiSelectFilter(big);

    const plan: Record<string, { tenant: BenchTenant; filters: Filters; cursor: Cursor | null; depth: number }> = {
      "big.first": { tenant: big, filters: {}, cursor: null, depth: 0 },
      "big.deep": { tenant: big, filters: {}, cursor: deepBig, depth },
      "big.failed.first": { tenant: big, filters: STATUS_FILTER, cursor: null, depth: 0 },
      "big.failed.deep": { tenant: big, filters: STATUS_FILTER, cursor: deepBigFailed, depth },
      "mid.first": { tenant: mid, filters: {}, cursor: null, depth: 0 },
      "mid.deep": { tenant: mid, filters: {}, cursor: deepMid, depth },
      "small.first": { tenant: small, filters: {}, cursor: null, depth: 0 },
      "big.filtered.first": { tenant: big, filters: COMBINED_FILTER, cursor: null, depth: 0 },
      "mid.filtered.first": { tenant: mid, filters: COMBINED_FILTER, cursor: null, depth: 0 },
      "small.filtered.first": { tenant: small, filters: COMBINED_FILTER, cursor: null, depth: 0 },
      "big.search.rare.first": { tenant: big, filters: RARE_NAME_FILTER, cursor: null, depth: 0 },
      "big.search.uuid.first": { tenant: big, filters: uuidFilter, cursor: null, depth: 0 },
      "big.multi.first": { tenant: big, filters: multiFilter, cursor: null, depth: 0 },
      "big.multi.users.first": { tenant: big, filters: multiUsersFilter, cursor: null, depth: 0 },
    };
    log(`page: ${Object.keys(plan).length} variants x ${reps} interleaved rounds (+${warmup} warm-up)`);
    const samples = await interleaved(
      Object.fromEntries(Object.entries(plan).map(([k, v]) => [k, () => pageView(v.tenant, v.filters, v.cursor)])),
      { reps, warmup },
    );

    const variants: Record<string, PageVariantResult> = {};
    for (const [key, v] of Object.entries(plan)) {
      const [page, total] = await pageView(v.tenant, v.filters, v.cursor);
      variants[key] = {
        tenant: v.tenant.key,
        tenantRecords: v.tenant.records,
        filters: v.filters,
        depth: v.depth,
        ms: summaryOf(samples, key),
        rows: page.rows.length,
        count: total.count,
        capped: total.capped,
      };
    }

    // Which of the two queries costs what: each alone, first page, interleaved.
    log("page: the page's two queries alone (rows, count)");
    const partsPlan = {
      big: { tenant: big, filters: {} },
      small: { tenant: small, filters: {} },
      "big.filtered": { tenant: big, filters: COMBINED_FILTER },
      "small.filtered": { tenant: small, filters: COMBINED_FILTER },
    } as const;
    const partReps = Math.max(5, Math.round(reps / 2));
    const partSamples = await interleaved(
      Object.fromEntries(
        Object.entries(partsPlan).flatMap(([k, v]) => [
          [`${k}.rows`, () => rowsQuery(v.tenant, v.filters, null)],
          [`${k}.count`, () => countQuery(v.tenant, v.filters)],
        ]),
      ),
      { reps: partReps, warmup: Math.min(warmup, 5) },
    );
    const parts: PageResults["parts"] = {};
    for (const k of Object.keys(partsPlan)) {
      parts[k] = { rows: summaryOf(partSamples, `${k}.rows`), count: summaryOf(partSamples, `${k}.count`) };
    }

    // The activity chart: the page as it streams it, beside the page's two queries (its own block).
    log("page: the first page with and without the activity chart");
    const chartSamples = await interleaved(
      {
        page: () => pageView(big, {}, null),
        // As the page reads them: the count with the chart, beside the rows.
        "page+chart": () =>
          Promise.all([
            rowsQuery(big, {}, null),
            countWithChart({ ctx: scope(big), params: { range }, timeZone: "UTC", db }),
          ]),
      },
      { reps, warmup },
    );
    const chart = { page: summarize(chartSamples.page), withChart: summarize(chartSamples["page+chart"]) };

    return {
      chart,
      range: { start: range.start.toISOString(), end: range.end.toISOString(), days: rangeDays },
      pageSize: size,
      depth,
      reps,
      walk,
      variants,
      parts,
    };
  } finally {
    await client.end({ timeout: 5 });
  }
}

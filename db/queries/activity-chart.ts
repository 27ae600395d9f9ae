import { and, sql } from "drizzle-orm";
import type { Database } from "../client";
import { activityRecords } from "../schema";
import { withTenant, type Tx } from "../with-tenant";
import {
  buildActivityWhere,
  countActivity,
  countIn,
  dayCountsOf,
  DEFAULT_COUNT_CAP,
  wholeDaysOf,
  withResolvedSearch,
  type ActivityFilters,
  type CappedCount,
} from "./activity-records";
import type { OperationStatus, TenantContext } from "@/lib/domain";

/*
 * The activity chart above the log: records per bucket, by status. Per day it reads the per-day
 * counts (migration 0006), a row per day and status, so it costs the same for ten records or ten
 * million (with a partner-user filter, the users' counts of 0015); per hour (a range of two days
 * or less) it groups the matching records themselves, which a short range bounds. Filters the day
 * counts cannot answer (customer, search, correlation) are counted from the records too, but only
 * when the page's count, read in the same transaction, shows there are few of them.
 */

type Scope = Pick<TenantContext, "tenantId" | "cloud">;

export type ChartBucket = "day" | "hour";

export interface ChartPoint {
  /** The bucket's start: YYYY-MM-DD for a UTC day, YYYY-MM-DDTHH:00 wall time in the zone for an hour. */
  at: string;
  counts: Partial<Record<OperationStatus, number>>;
}

export interface ActivityChart {
  bucket: ChartBucket;
  /** The zone the buckets are in: UTC for the day counts' days, else the view's. */
  zone: string;
  points: ChartPoint[];
}

/** Hourly buckets for ranges up to this long. */
export const HOURLY_MAX_MS = 2 * 86_400_000;
/** Matching records the chart groups itself at most (beyond, only the day counts can answer). */
export const CHART_RECORDS_MAX = 10_000;

const needsRecords = (p: ActivityFilters) => Boolean(p.customer || p.q || p.correlation);

export interface CountWithChart {
  /** The page's capped count. */
  total: CappedCount;
  /** Null when it cannot be drawn cheaply: filters no counts hold, over more than CHART_RECORDS_MAX records. */
  chart: ActivityChart | null;
}

/**
 * The page's count and its chart, in one transaction, so drawing the chart adds no transaction:
 * a chart from the day counts also answers a busy view's "10,000+"; grouping the records waits
 * for the count, which says whether there are few enough of them.
 */
export async function countWithChart({
  ctx,
  params,
  timeZone,
  cap = DEFAULT_COUNT_CAP,
  db,
}: {
  ctx: Scope;
  params: ActivityFilters;
  timeZone: string;
  cap?: number;
  db?: Database;
}): Promise<CountWithChart> {
  const span = params.range.end.getTime() - params.range.start.getTime();
  const hourly = span <= HOURLY_MAX_MS;
  const both = withTenant(
    ctx,
    async (tx) => {
      const filters = await withResolvedSearch(tx, ctx, params);
      if (!hourly && !needsRecords(filters)) {
        const chart = await dayChart(tx, ctx, filters);
        // The count's own first step, the whole days' records from the day counts, is in the
        // chart's rows: when they hold more than the cap, the count needs no statement at all.
        const whole = wholeDaysOf(filters.range);
        const inWholeDays = (chart?.points ?? [])
          .filter((p) => whole && p.at >= whole.from && p.at < whole.to)
          .reduce((sum, p) => sum + Object.values(p.counts).reduce((a, n) => a + (n ?? 0), 0), 0);
        const total = inWholeDays > cap ? { count: cap, capped: true } : await countIn(tx, ctx, filters, cap);
        return { total, chart };
      }
      const total = await countIn(tx, ctx, filters, cap);
      const few = !total.capped && total.count <= CHART_RECORDS_MAX;
      if (few) return { total, chart: await recordChart(tx, ctx, filters, hourly ? "hour" : "day", timeZone) };
      return { total, chart: needsRecords(filters) ? null : await dayChart(tx, ctx, filters) };
    },
    db,
  );
  // The chart never takes the count down with it: on any failure, the count alone (which throws
  // again if it was the count that failed).
  return both.catch(async (error: unknown) => {
    console.error("could not read the activity chart", error);
    return { total: await countActivity({ ctx, params, cap, db }), chart: null };
  });
}

async function dayChart(tx: Tx, ctx: Scope, params: ActivityFilters): Promise<ActivityChart | null> {
  const counts = dayCountsOf(ctx, params, { byStatus: true });
  if (!counts) return null;
  const c = counts.table;
  const firstDay = params.range.start.toISOString().slice(0, 10);
  const rows = await tx
    .select({ day: c.day, status: c.operationStatus, n: sql<number>`sum(${counts.records})::bigint` })
    .from(c)
    .where(
      and(
        counts.where,
        sql`${c.day} >= ${firstDay}::date`,
        sql`${c.day} < ${params.range.end.toISOString()}::timestamptz`,
      ),
    )
    .groupBy(c.day, c.operationStatus)
    .orderBy(c.day);
  return {
    bucket: "day",
    zone: "UTC",
    points: toPoints(rows.flatMap((r) => (r.status ? [{ at: r.day, status: r.status, n: Number(r.n) }] : []))),
  };
}

async function recordChart(
  tx: Tx,
  ctx: Scope,
  filters: ActivityFilters,
  bucket: ChartBucket,
  timeZone: string,
): Promise<ActivityChart> {
  const r = activityRecords;
  const format = bucket === "hour" ? 'YYYY-MM-DD"T"HH24:00' : "YYYY-MM-DD";
  const at = sql<string>`to_char(date_trunc(${bucket}, ${r.occurredAt} at time zone ${timeZone}), ${format})`;
  const rows = await tx
    .select({ at, status: r.operationStatus, n: sql<number>`count(*)::int` })
    .from(r)
    .where(buildActivityWhere(ctx, filters))
    .groupBy(sql`1`, r.operationStatus)
    .orderBy(sql`1`);
  return {
    bucket,
    zone: timeZone,
    points: toPoints(rows.map((row) => ({ at: row.at, status: row.status, n: Number(row.n) }))),
  };
}

function toPoints(rows: { at: string; status: OperationStatus; n: number }[]): ChartPoint[] {
  const points = new Map<string, ChartPoint>();
  for (const row of rows) {
    if (row.n <= 0) continue;
    const point = points.get(row.at) ?? { at: row.at, counts: {} };
    point.counts[row.status] = (point.counts[row.status] ?? 0) + row.n;
    points.set(row.at, point);
  }
  return [...points.values()].sort((a, b) => a.at.localeCompare(b.at));
}

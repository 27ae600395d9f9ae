import { and, sql } from "drizzle-orm";
import type { Database } from "../client";
import { activityRecords } from "../schema";
import { withTenant } from "../with-tenant";
import {
  buildActivityWhere,
  countActivity,
  dayCountsOf,
  withResolvedSearch,
  type ActivityFilters,
} from "./activity-records";
import type { OperationStatus, TenantContext } from "@/lib/domain";

/*
 * The activity chart above the log: records per bucket, by status. Per day it reads the per-day
 * counts (migration 0006), a row per day and status, so it costs the same for ten records or ten
 * million (with a partner-user filter, the users' counts of 0015); per hour (a range of two days
 * or less) it groups the matching records themselves, which a short range bounds. Filters the day
 * counts cannot answer (customer, search, correlation) are counted from the records too, but only
 * when the page's count showed there are few of them.
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

/**
 * The chart for a view, or null when it cannot be drawn cheaply (filters the day counts do not
 * hold, over more than CHART_RECORDS_MAX records). `matched` is the page's capped count.
 */
export async function getActivityChart({
  ctx,
  params,
  timeZone,
  matched,
  db,
}: {
  ctx: Scope;
  params: ActivityFilters;
  timeZone: string;
  /** The capped count of matches; asked for only when the records must be grouped (omit to count here). */
  matched?: { count: number; capped: boolean };
  db?: Database;
}): Promise<ActivityChart | null> {
  const span = params.range.end.getTime() - params.range.start.getTime();
  const hourly = span <= HOURLY_MAX_MS;
  const grouped = hourly || needsRecords(params);
  const m =
    matched ??
    (grouped ? await countActivity({ ctx, params, cap: CHART_RECORDS_MAX, db }) : { count: 0, capped: true });
  const small = !m.capped && m.count <= CHART_RECORDS_MAX;
  if ((hourly || needsRecords(params)) && !small) return hourly && !needsRecords(params) ? dayChart() : null;
  return hourly || needsRecords(params) ? recordChart(hourly ? "hour" : "day") : dayChart();

  async function dayChart(): Promise<ActivityChart | null> {
    const counts = dayCountsOf(ctx, params, { byStatus: true });
    if (!counts) return null;
    const c = counts.table;
    const firstDay = params.range.start.toISOString().slice(0, 10);
    const rows = await withTenant(
      ctx,
      (tx) =>
        tx
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
          .orderBy(c.day),
      db,
    );
    return {
      bucket: "day",
      zone: "UTC",
      points: toPoints(rows.map((r) => ({ at: r.day, status: r.status!, n: Number(r.n) }))),
    };
  }

  async function recordChart(bucket: ChartBucket): Promise<ActivityChart> {
    const r = activityRecords;
    const format = bucket === "hour" ? 'YYYY-MM-DD"T"HH24:00' : "YYYY-MM-DD";
    const at = sql<string>`to_char(date_trunc(${bucket}, ${r.occurredAt} at time zone ${timeZone}), ${format})`;
    const rows = await withTenant(
      ctx,
      async (tx) => {
        const filters = await withResolvedSearch(tx, ctx, params);
        return tx
          .select({ at, status: r.operationStatus, n: sql<number>`count(*)::int` })
          .from(r)
          .where(buildActivityWhere(ctx, filters))
          .groupBy(sql`1`, r.operationStatus)
          .orderBy(sql`1`);
      },
      db,
    );
    return {
      bucket,
      zone: timeZone,
      points: toPoints(rows.map((row) => ({ at: row.at, status: row.status, n: Number(row.n) }))),
    };
  }
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

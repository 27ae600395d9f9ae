import type { Sql } from "postgres";
import { MAX_FUTURE_SKEW_MS } from "./limits";
import type { IngestRecord, RecordError } from "./record-schema";

/*
 * Which `occurred_at` values the log can store: the ranges of the monthly partitions of
 * activity_records, read from the catalog and cached briefly. A record for a month without a
 * partition is refused with a 400 naming it, before the insert would fail as a whole (a 500).
 */

export interface PartitionRange {
  /** Inclusive lower bound, epoch ms (-Infinity for MINVALUE or a DEFAULT partition). */
  from: number;
  /** Exclusive upper bound, epoch ms (Infinity for MAXVALUE or a DEFAULT partition). */
  to: number;
}

const CACHE_MS = 60_000;
const cache = new WeakMap<Sql, { at: number; ranges: PartitionRange[] }>();

/*
 * pg_get_expr prints the bounds with the session's own settings, and the cast back to timestamptz
 * happens in the same statement with the same settings, so the round trip is exact.
 */
const BOUNDS_SQL = `
  select coalesce(extract(epoch from lo) * 1000, '-Infinity')::float8 as "from",
         coalesce(extract(epoch from hi) * 1000, 'Infinity')::float8 as "to"
  from (
    select case when m is null or m[1] = 'MINVALUE' then null else trim(both '''' from m[1])::timestamptz end as lo,
           case when m is null or m[2] = 'MAXVALUE' then null else trim(both '''' from m[2])::timestamptz end as hi
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid,
    lateral regexp_match(pg_get_expr(c.relpartbound, c.oid), '^FOR VALUES FROM \\((.+)\\) TO \\((.+)\\)$') as m
    where i.inhparent = 'activity_records'::regclass
  ) b
  order by 1`;

export async function loadPartitionRanges(sql: Sql): Promise<PartitionRange[]> {
  const rows = await sql.unsafe<Array<{ from: number; to: number }>>(BOUNDS_SQL);
  return rows.map((r) => ({ from: Number(r.from), to: Number(r.to) }));
}

export async function cachedPartitionRanges(sql: Sql, options: { refresh?: boolean } = {}): Promise<PartitionRange[]> {
  const hit = cache.get(sql);
  if (hit && !options.refresh && Date.now() - hit.at < CACHE_MS) return hit.ranges;
  const ranges = await loadPartitionRanges(sql);
  cache.set(sql, { at: Date.now(), ranges });
  return ranges;
}

export const isCovered = (ranges: PartitionRange[], at: Date): boolean =>
  ranges.some((r) => at.getTime() >= r.from && at.getTime() < r.to);

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

function coverage(ranges: PartitionRange[]): string {
  if (ranges.length === 0) return "the log has no partitions yet";
  const from = Math.min(...ranges.map((r) => r.from));
  const to = Math.max(...ranges.map((r) => r.to));
  if (!Number.isFinite(from) || !Number.isFinite(to)) return "see the log's partitions";
  return `the log stores ${monthOf(from)} to ${monthOf(to - 1)}`;
}

/** Per-record errors for times in the future or in a month without a partition. */
export function checkOccurredAt(records: IngestRecord[], ranges: PartitionRange[], now: Date): RecordError[] {
  const errors: RecordError[] = [];
  records.forEach((record, index) => {
    const at = record.occurredAt;
    if (at.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
      errors.push({
        index,
        field: "occurredAt",
        message: `is more than ${MAX_FUTURE_SKEW_MS / 60_000} minutes in the future.`,
      });
    } else if (!isCovered(ranges, at)) {
      errors.push({
        index,
        field: "occurredAt",
        message: `falls in ${monthOf(at.getTime())}, a month the log has no partition for (${coverage(ranges)}).`,
      });
    }
  });
  return errors;
}

/** Partition ranges that cover every record, refreshing the cache once if one seems missing. */
export async function checkRecordTimes(sql: Sql, records: IngestRecord[], now: Date): Promise<RecordError[]> {
  let ranges = await cachedPartitionRanges(sql);
  if (
    records.some(
      (r) => r.occurredAt.getTime() <= now.getTime() + MAX_FUTURE_SKEW_MS && !isCovered(ranges, r.occurredAt),
    )
  ) {
    ranges = await cachedPartitionRanges(sql, { refresh: true });
  }
  return checkOccurredAt(records, ranges, now);
}

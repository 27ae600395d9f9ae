import type { Sql } from "postgres";

/*
 * The ranges of the monthly partitions of activity_records, read from the catalog and cached
 * briefly (ingestion checks every record's time against them).
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

import { createHash } from "node:crypto";
import type { Sql } from "postgres";
import {
  CANONICAL_DETAIL_COLUMNS,
  CANONICAL_RECORD_COLUMNS,
  OPTIONAL_DETAIL_COLUMNS,
  boundText,
  monthBounds,
  type StoredSeal,
} from "@/lib/seal/canonical";
import type { Cloud, SealPart } from "@/lib/domain";

/* The canonical lines of lib/seal/canonical.ts, printed by Postgres, and the seals' own rows. */

const TIME_COLUMNS = new Set(["occurred_at", "recorded_at"]);
const utc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const LINE = `(jsonb_build_array(${[
  ...CANONICAL_RECORD_COLUMNS.map((c) => (TIME_COLUMNS.has(c) ? utc(`r.${c}`) : `r.${c}`)),
  "d.record_id IS NOT NULL",
  ...CANONICAL_DETAIL_COLUMNS.map((c) => `d.${c}`),
].join(", ")})${OPTIONAL_DETAIL_COLUMNS.map(
  (c) => ` || CASE WHEN d.${c} IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('${c}', d.${c})) END`,
).join("")})::text`;

/*
 * Parameters are passed as text and cast in SQL: Drizzle reconfigures its postgres.js pool to pass
 * timestamps and JSON through untouched, and these functions run on either kind of pool.
 */

// $1 tenant, $2/$3 recorded_at bounds, $4/$5 the month's occurred_at bounds.
const PART_ROWS_SQL = `
SELECT ${LINE} AS line
FROM activity_records r
LEFT JOIN activity_record_details d
  ON d.tenant_id = r.tenant_id AND d.occurred_at = r.occurred_at AND d.record_id = r.id
 AND d.occurred_at >= $4::text::timestamptz AND d.occurred_at < $5::text::timestamptz
WHERE r.tenant_id = $1::uuid
  AND r.recorded_at >= $2::text::timestamptz AND r.recorded_at < $3::text::timestamptz
  AND r.occurred_at >= $4::text::timestamptz AND r.occurred_at < $5::text::timestamptz
ORDER BY r.recorded_at, r.id, r.occurred_at`;

const MONTH_COUNTS_SQL = `
SELECT to_char(date_trunc('month', occurred_at, 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::int8 AS rows
FROM activity_records
WHERE tenant_id = $1::uuid AND recorded_at >= $2::text::timestamptz AND recorded_at < $3::text::timestamptz
GROUP BY 1 ORDER BY 1`;

const CURSOR_BATCH = 2_000;

/** The row counts per occurred_at month of the rows recorded in [lower, upper). */
export async function monthCounts(
  tx: Sql,
  tenantId: string,
  lower: Date | null,
  upper: Date,
): Promise<Map<string, number>> {
  const rows = await tx.unsafe<Array<{ month: string; rows: string }>>(MONTH_COUNTS_SQL, [
    tenantId,
    boundText(lower, "lower"),
    boundText(upper, "upper"),
  ]);
  return new Map(rows.map((r) => [r.month, Number(r.rows)]));
}

/**
 * Hashes one part by streaming its rows through a cursor. `expectedRows` comes from a count in
 * the same snapshot: a cursor that ends early (postgres.js can end an iteration silently after an
 * error between batches) must fail the run, never produce a seal of fewer rows.
 */
export async function hashPart(
  tx: Sql,
  tenantId: string,
  lower: Date | null,
  upper: Date,
  month: string,
  expectedRows: number,
): Promise<SealPart> {
  const { start, end } = monthBounds(month);
  const hash = createHash("sha256");
  let rows = 0;
  const query = tx.unsafe<Array<{ line: string }>>(PART_ROWS_SQL, [
    tenantId,
    boundText(lower, "lower"),
    boundText(upper, "upper"),
    start,
    end,
  ]);
  for await (const batch of query.cursor(CURSOR_BATCH)) {
    for (const row of batch) {
      hash.update(row.line, "utf8");
      hash.update("\n");
    }
    rows += batch.length;
  }
  if (rows !== expectedRows) {
    throw new Error(
      `read ${rows} rows of ${month} for tenant ${tenantId} where the count said ${expectedRows}; the cursor ended early`,
    );
  }
  return { month, rows, hash: hash.digest("hex") };
}

/** All parts of the rows recorded in [lower, upper), in month order. */
export async function hashParts(tx: Sql, tenantId: string, lower: Date | null, upper: Date): Promise<SealPart[]> {
  const counts = await monthCounts(tx, tenantId, lower, upper);
  const parts: SealPart[] = [];
  for (const [month, rows] of counts) parts.push(await hashPart(tx, tenantId, lower, upper, month, rows));
  return parts;
}

/** Seal columns with times as epoch ms and parts as text, whichever pool runs the query. */
export const SEAL_COLUMNS_SQL = `tenant_id, cloud, seq,
  (extract(epoch from period_start) * 1000)::float8 as period_start_ms,
  (extract(epoch from period_end) * 1000)::float8 as period_end_ms,
  row_count::text as row_count, parts::text as parts, prev_hash, hash,
  (extract(epoch from sealed_at) * 1000)::float8 as sealed_at_ms`;

export interface RawSealRow {
  tenant_id: string;
  cloud: Cloud;
  seq: number;
  period_start_ms: number;
  period_end_ms: number;
  row_count: string;
  parts: string;
  prev_hash: string | null;
  hash: string;
  sealed_at_ms: number;
}

export const toStoredSeal = (r: RawSealRow): StoredSeal => ({
  tenantId: r.tenant_id,
  cloud: r.cloud,
  seq: Number(r.seq),
  periodStart: new Date(Number(r.period_start_ms)),
  periodEnd: new Date(Number(r.period_end_ms)),
  rowCount: Number(r.row_count),
  parts: JSON.parse(r.parts) as SealPart[],
  prevHash: r.prev_hash,
  hash: r.hash,
  sealedAt: new Date(Number(r.sealed_at_ms)),
});

/** One seal's period for the set-based reads: rows recorded in [lower, upper). */
export interface SealPeriod {
  seq: number;
  lower: Date | null;
  upper: Date;
}

const periodArrays = (tenantId: string, periods: readonly SealPeriod[]) => [
  tenantId,
  periods.map((p) => String(p.seq)),
  periods.map((p) => boundText(p.lower, "lower")),
  periods.map((p) => boundText(p.upper, "upper")),
];

// $1 tenant, $2/$3/$4 the periods' seqs and recorded_at bounds, in seq order.
const PERIODS = `unnest($2::text[], $3::text[], $4::text[]) AS p(seq, lower, upper)`;
const MONTH_OF = `to_char(date_trunc('month', r.occurred_at, 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM')`;

const PERIOD_MONTH_COUNTS_SQL = `
SELECT p.seq::int8 AS seq, ${MONTH_OF} AS month, count(*)::int8 AS rows
FROM ${PERIODS}
JOIN activity_records r ON r.tenant_id = $1::uuid
  AND r.recorded_at >= p.lower::timestamptz AND r.recorded_at < p.upper::timestamptz
GROUP BY 1, 2`;

/*
 * Every period's rows, a period after the other in seq order and, within one, a month after the
 * other, each month's rows in the order a seal hashes them. Each period is sorted on its own (the
 * lateral ORDER BY), so no sort ever holds the whole log; the reader checks the grouping it gets.
 */
const PERIOD_ROWS_SQL = `
SELECT p.seq::int8 AS seq, x.month, x.line
FROM ${PERIODS}
CROSS JOIN LATERAL (
  SELECT ${MONTH_OF} AS month, ${LINE} AS line
  FROM activity_records r
  LEFT JOIN activity_record_details d
    ON d.tenant_id = r.tenant_id AND d.occurred_at = r.occurred_at AND d.record_id = r.id
  WHERE r.tenant_id = $1::uuid
    AND r.recorded_at >= p.lower::timestamptz AND r.recorded_at < p.upper::timestamptz
  ORDER BY 1, r.recorded_at, r.id, r.occurred_at
) x`;

const partKey = (seq: number, month: string) => `${seq} ${month}`;

/** The row counts per occurred_at month of every period, in one statement: by seq, then month. */
export async function periodMonthCounts(
  tx: Sql,
  tenantId: string,
  periods: readonly SealPeriod[],
): Promise<Map<number, Map<string, number>>> {
  const counts = new Map<number, Map<string, number>>(periods.map((p) => [p.seq, new Map()]));
  if (periods.length === 0) return counts;
  const rows = await tx.unsafe<Array<{ seq: string; month: string; rows: string }>>(
    PERIOD_MONTH_COUNTS_SQL,
    periodArrays(tenantId, periods) as never[],
  );
  for (const r of [...rows].sort((a, b) => Number(a.seq) - Number(b.seq) || a.month.localeCompare(b.month)))
    counts.get(Number(r.seq))?.set(r.month, Number(r.rows));
  return counts;
}

/**
 * Every part of every period hashed in one read (one cursor), keyed `${seq} ${month}`.
 * `expected` is periodMonthCounts' answer in the same snapshot: a part that comes back with other
 * counts, or a cursor that ends early or hands a part over twice, fails the run rather than
 * producing a verdict from fewer rows.
 */
export async function hashPeriodParts(
  tx: Sql,
  tenantId: string,
  periods: readonly SealPeriod[],
  expected: Map<number, Map<string, number>>,
): Promise<Map<string, SealPart>> {
  const parts = new Map<string, SealPart>();
  if (periods.length === 0) return parts;
  type Open = { key: string; month: string; rows: number; hash: ReturnType<typeof createHash> };
  let current = null as Open | null;
  const close = (open: Open | null) => {
    if (open) parts.set(open.key, { month: open.month, rows: open.rows, hash: open.hash.digest("hex") });
  };
  const query = tx.unsafe<Array<{ seq: string; month: string; line: string }>>(
    PERIOD_ROWS_SQL,
    periodArrays(tenantId, periods) as never[],
  );
  for await (const batch of query.cursor(CURSOR_BATCH)) {
    for (const row of batch) {
      const seq = Number(row.seq);
      const key = partKey(seq, row.month);
      if (current === null || current.key !== key) {
        close(current);
        if (parts.has(key)) throw new Error(`the rows of seal ${seq}, ${row.month}, came in more than one run`);
        current = { key, month: row.month, rows: 0, hash: createHash("sha256") };
      }
      current.hash.update(row.line, "utf8");
      current.hash.update("\n");
      current.rows += 1;
    }
  }
  close(current);
  for (const [seq, months] of expected) {
    for (const [month, rows] of months) {
      const got = parts.get(partKey(seq, month))?.rows ?? 0;
      if (got !== rows)
        throw new Error(
          `read ${got} rows of seal ${seq}, ${month}, for tenant ${tenantId} where the count said ${rows}; the cursor ended early`,
        );
    }
  }
  return parts;
}

export const sealPartKey = partKey;

import { createHash } from "node:crypto";
import type { Sql } from "postgres";
import type { Cloud, SealPart } from "@/db/schema";

/*
 * The canonical form of the log for sealing (version 1).
 *
 * A row's text is a jsonb array of every written column of activity_records (generated columns
 * such as user_key are derived from these and left out), then whether it has a
 * details row and that row's three JSON columns (the details' keys equal the record's). jsonb's
 * text output is canonical in Postgres (keys sorted, whitespace fixed, numbers normalised), and
 * times are printed in UTC with microseconds, so the text does not depend on session settings.
 * Adding a column to the log means a new version here (a test compares this list with the table).
 * Columns added later that are null on every older row (source_record) are appended only when set,
 * so the lines of rows sealed before them, and so their seals, stay as they were.
 *
 * A seal covers one tenant's rows whose `recorded_at` falls in [period_start, period_end), split
 * into parts by the UTC month of `occurred_at` (the partition): each part is the SHA-256 of its
 * rows' lines in (recorded_at, id, occurred_at) order, streamed, so a period of millions of rows
 * needs no more memory than a cursor batch. Parts are what let retention drop a month later and
 * still verify the rest. The seal's hash covers its fields, its parts and the previous seal's hash.
 */

export const SEAL_VERSION = "partner-activity-log seal v1";

/** Every column of activity_records, in canonical order. */
export const CANONICAL_RECORD_COLUMNS = [
  "id",
  "tenant_id",
  "cloud",
  "occurred_at",
  "recorded_at",
  "customer_id",
  "customer_name",
  "operation_type",
  "resource_type",
  "operation_status",
  "user_principal_name",
  "application_id",
  "correlation_id",
] as const;

/** The details' own columns; its key columns (tenant_id, occurred_at, record_id) are the join. */
export const CANONICAL_DETAIL_COLUMNS = ["resource_old_value", "resource_new_value", "customized_data"] as const;
export const DETAIL_KEY_COLUMNS = ["tenant_id", "occurred_at", "record_id"] as const;
/** Details columns appended to a row's line only when not null (see above). */
export const OPTIONAL_DETAIL_COLUMNS = ["source_record"] as const;

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

/** A timestamp bound as Postgres text: null is unbounded. */
export const boundText = (at: Date | null, side: "lower" | "upper"): string =>
  at === null ? (side === "lower" ? "-infinity" : "infinity") : at.toISOString();

export function monthBounds(month: string): { start: string; end: string } {
  const [year, m] = month.split("-").map(Number);
  return { start: new Date(Date.UTC(year, m - 1, 1)).toISOString(), end: new Date(Date.UTC(year, m, 1)).toISOString() };
}

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

export interface SealFields {
  tenantId: string;
  cloud: Cloud;
  seq: number;
  periodStart: Date;
  periodEnd: Date;
  rowCount: number;
  parts: SealPart[];
  prevHash: string | null;
}

/** The seal's own hash: its fields, its parts and the previous seal's hash (the chain). */
export function sealHash(seal: SealFields): string {
  const lines = [
    SEAL_VERSION,
    `tenant ${seal.tenantId}`,
    `cloud ${seal.cloud}`,
    `seq ${seal.seq}`,
    `period ${seal.periodStart.toISOString()} ${seal.periodEnd.toISOString()}`,
    `rows ${seal.rowCount}`,
    `prev ${seal.prevHash ?? "-"}`,
    ...seal.parts.map((p) => `part ${p.month} ${p.rows} ${p.hash}`),
  ];
  return createHash("sha256")
    .update(lines.join("\n") + "\n", "utf8")
    .digest("hex");
}

export interface StoredSeal extends SealFields {
  hash: string;
  sealedAt: Date;
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

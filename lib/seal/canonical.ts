import { createHash } from "node:crypto";
import type { Cloud, SealPart } from "@/lib/domain";
import { leadingItems } from "@/lib/leading-items";

/*
 * The canonical form of the log for sealing (version 1).
 *
 * A row's text is a jsonb array of every written column of activity_records (generated columns
 * such as user_key are derived from these and left out), then whether it has a
 * details row and that row's three JSON columns (the details' keys equal the record's). jsonb's
 * text output is canonical in Postgres (keys sorted, whitespace fixed, numbers normalised), and
 * times are printed in UTC with microseconds, so the text does not depend on session settings.
 * Adding a column to the log means a new version here (a test compares this list with the table).
 * The SQL that prints and hashes the lines is in db/seals/canonical-rows.ts.
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

/** A timestamp bound as Postgres text: null is unbounded. */
export const boundText = (at: Date | null, side: "lower" | "upper"): string =>
  at === null ? (side === "lower" ? "-infinity" : "infinity") : at.toISOString();

export function monthBounds(month: string): { start: string; end: string } {
  const [year, m] = leadingItems(month.split("-").map(Number), 2, `The month ${month}`);
  return { start: new Date(Date.UTC(year, m - 1, 1)).toISOString(), end: new Date(Date.UTC(year, m, 1)).toISOString() };
}

import type { Sql } from "postgres";
import { getExportSql } from "@/db/client";
import { createCursorStream } from "@/db/cursor-stream";
import {
  buildActivityExportQuery,
  DEFAULT_EXPORT_LIMITS,
  EXPORT_COLUMN as C,
  scopeExportTransaction,
  type ExportLimits,
} from "@/db/queries/activity-export";
import type { ActivityFilters } from "@/db/queries/activity-records";
import { actionLabel, STATUS_LABELS } from "@/lib/activity-labels";
import { CSV_BOM, csvCell, csvRow, formatCsvTimestamp } from "@/lib/csv";
import { exportTurn, exportWorked } from "./give-way-to-pages";
import type { TenantContext } from "@/lib/domain";

/*
 * The "Export log" CSV. Independent of Next: the route handler only resolves the context and
 * params and wraps the stream in a Response (headers: ./download-headers.ts).
 *
 * Same rows as the page, by construction: the same where-builder (buildActivityWhere), the same
 * order (occurred_at desc, id desc) and the same two-fold tenant scope (the where-clause filters
 * by tenant and cloud, and the transaction runs as activity_app under row-level security). The
 * query is db/queries/activity-export.ts; the cursor stream and what it promises (first bytes at
 * once, backpressure, a truncated file never looks complete) is db/cursor-stream.ts.
 */

export const EXPORT_HEADER = [
  "Date-Time (UTC)",
  "Affected customer",
  "Customer ID",
  "Action",
  "Operation type",
  "Resource type",
  "Status",
  "Partner user",
  "Application",
  "Correlation ID",
  "Details",
] as const;

/** Rows per FETCH, and so per chunk: ~0.3-1 MB of CSV, few enough round trips to keep up with psql. */
export const DEFAULT_EXPORT_BATCH_SIZE = 1000;

export const CSV_HEADER = CSV_BOM + csvRow(EXPORT_HEADER);

/**
 * One batch of rows (in buildActivityExportQuery's column order) as CSV text: one string per row,
 * joined once, so the text handed to TextEncoder is flat (encoding a deep concatenation was
 * several times slower).
 */
export function formatActivityBatch(rows: ArrayLike<readonly unknown[]>): string {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const status = row[C.status] as keyof typeof STATUS_LABELS;
    // formatCsvTimestamp's output needs neither quotes nor neutralising, Details comes quoted
    // from Postgres; every other cell goes through csvCell.
    lines[i] =
      formatCsvTimestamp(new Date(row[C.at] as number)) +
      "," +
      csvCell(row[C.customerName] as string | null) +
      "," +
      csvCell(row[C.customerId] as string | null) +
      "," +
      csvCell(actionLabel(row[C.operationType] as string)) +
      "," +
      csvCell(row[C.operationType] as string) +
      "," +
      csvCell(row[C.resourceType] as string) +
      "," +
      csvCell(STATUS_LABELS[status] ?? status) +
      "," +
      csvCell(row[C.user] as string) +
      "," +
      csvCell(row[C.application] as string) +
      "," +
      csvCell(row[C.correlationId] as string) +
      "," +
      ((row[C.details] as string | null) ?? "") +
      "\r\n";
  }
  return lines.join("");
}

export interface ActivityCsvStreamOptions {
  ctx: Pick<TenantContext, "tenantId" | "cloud">;
  /** Parsed by parseActivityLogParams; page size, cursor and direction are ignored (the export is the whole range). */
  params: ActivityFilters;
  /** The export pool by default; tests inject a client on their own database. */
  sql?: Sql;
  /** The request's signal: when the client goes away, the query stops and the stream errors. */
  signal?: AbortSignal;
  batchSize?: number;
  limits?: ExportLimits;
  /** Called once when the export has ended: how many rows went out, and the error if it failed. */
  onSettled?: (result: { rows: number; error?: unknown }) => void;
}

const encoder = new TextEncoder();
const CSV_HEADER_BYTES = encoder.encode(CSV_HEADER);

/**
 * The CSV of every record matching `params` in the tenant's scope, newest first, as a byte stream.
 * Building the query is synchronous, so invalid input throws here, before any byte is promised.
 */
export function createActivityCsvStream(options: ActivityCsvStreamOptions): ReadableStream<Uint8Array> {
  const { ctx, params, limits = DEFAULT_EXPORT_LIMITS } = options;
  return createCursorStream({
    sql: options.sql ?? getExportSql(),
    begin: (tx) => scopeExportTransaction(tx, ctx, limits),
    query: buildActivityExportQuery(ctx, params),
    batchSize: options.batchSize ?? DEFAULT_EXPORT_BATCH_SIZE,
    head: CSV_HEADER_BYTES,
    format: (rows) => encoder.encode(formatActivityBatch(rows)),
    pace: { turn: exportTurn, worked: exportWorked },
    signal: options.signal,
    onSettled: options.onSettled,
  });
}

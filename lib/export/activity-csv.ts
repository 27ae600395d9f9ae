import type { Sql } from "postgres";
import { getExportSql } from "@/db/client";
import { createCursorStream } from "@/db/cursor-stream";
import { createTranslator } from "next-intl";
import {
  buildActivityExportQuery,
  buildActivityNdjsonQuery,
  buildLineItemExportQuery,
  DEFAULT_EXPORT_LIMITS,
  EXPORT_COLUMN as C,
  LINE_ITEM_COLUMN as L,
  scopeExportTransaction,
  type ExportLimits,
} from "@/db/queries/activity-export";
import type { ActivityFilters } from "@/db/queries/activity-records";
import { actionLabel, asCatalog, catalogLabel, STATUS_LABELS } from "@/lib/activity-labels";
import { CSV_BOM, csvCell, csvRow, formatCsvTimestamp } from "@/lib/csv";
import { formatDuration } from "@/lib/record-fields";
import en from "@/messages/en.json";
import { exportTurn, exportWorked } from "./give-way-to-pages";
import type { ExportFormat } from "./export-format";
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
  "Error code",
  "Error message",
  "Changes (old → new)",
  "Details",
] as const;

/** "Export line items": one row per order line, what a partner copies into a spreadsheet. */
export const LINE_ITEM_HEADER = [
  "Date-Time (UTC)",
  "Affected customer",
  "Customer ID",
  "Order ID",
  "Line",
  "Subscription ID",
  "Offer",
  "Offer ID",
  "Quantity",
  "Term",
  "Billing cycle",
  "Partner user",
  "Status",
  "Correlation ID",
] as const;

/** Rows per FETCH, and so per chunk: ~0.3-1 MB of CSV, few enough round trips to keep up with psql. */
export const DEFAULT_EXPORT_BATCH_SIZE = 1000;

export const CSV_HEADER = CSV_BOM + csvRow(EXPORT_HEADER);

/** One FETCH of rows, each in its query's column order. */
type ExportRows = readonly (readonly unknown[])[];

/**
 * One batch of rows (in buildActivityExportQuery's column order) as CSV text: one string per row,
 * joined once, so the text handed to TextEncoder is flat (encoding a deep concatenation was
 * several times slower).
 */
export function formatActivityBatch(rows: ExportRows): string {
  const lines = new Array<string>(rows.length);
  for (const [i, row] of rows.entries()) {
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
      csvCell(row[C.errorCode] as string | null) +
      "," +
      csvCell(row[C.errorMessage] as string | null) +
      "," +
      csvCell(row[C.changes] as string | null) +
      "," +
      ((row[C.details] as string | null) ?? "") +
      "\r\n";
  }
  return lines.join("");
}

// The file's words are English, like its header and its Action column: the catalog's, so a term
// reads as the details read it ("1 year", "Monthly"). Few distinct values: each is worded once.
const english = asCatalog(createTranslator({ locale: "en", messages: en }));
const worded = new Map<string, string>();
function wordOnce(kind: "term" | "cycle", value: string): string {
  const key = `${kind}:${value}`;
  let text = worded.get(key);
  if (text === undefined) {
    text = (kind === "term" ? formatDuration(english, value) : catalogLabel(english, "billingCycles", value)) ?? value;
    if (worded.size < 1000) worded.set(key, text);
  }
  return text;
}

const WHOLE_NUMBER = /^-?\d{1,15}$/;

/** One batch of order lines (buildLineItemExportQuery's columns) as CSV text. */
export function formatLineItemBatch(rows: ExportRows): string {
  const lines = new Array<string>(rows.length);
  for (const [i, row] of rows.entries()) {
    const status = row[L.status] as keyof typeof STATUS_LABELS;
    const quantity = row[L.quantity] as string | null;
    const term = row[L.term] as string | null;
    const cycle = row[L.billingCycle] as string | null;
    lines[i] =
      formatCsvTimestamp(new Date(row[L.at] as number)) +
      "," +
      csvCell(row[L.customerName] as string | null) +
      "," +
      csvCell(row[L.customerId] as string | null) +
      "," +
      csvCell(row[L.orderId] as string | null) +
      "," +
      String(row[L.line]) +
      "," +
      csvCell(row[L.subscriptionId] as string | null) +
      "," +
      csvCell(row[L.offer] as string | null) +
      "," +
      csvCell(row[L.offerId] as string | null) +
      "," +
      // A whole number as a number Excel sums; anything else as text, guarded like any other.
      (quantity !== null && WHOLE_NUMBER.test(quantity) ? String(Number(quantity)) : csvCell(quantity)) +
      "," +
      csvCell(term === null ? null : wordOnce("term", term)) +
      "," +
      csvCell(cycle === null ? null : wordOnce("cycle", cycle)) +
      "," +
      csvCell(row[L.user] as string) +
      "," +
      csvCell(STATUS_LABELS[status] ?? status) +
      "," +
      csvCell(row[L.correlationId] as string) +
      "\r\n";
  }
  return lines.join("");
}

/**
 * One batch of NDJSON: each row is one record's finished JSON text (Postgres built it), a line
 * each. Data, not a spreadsheet: no BOM, no formula guard, values exactly as recorded.
 */
export function formatNdjsonBatch(rows: ExportRows): string {
  const lines = new Array<string>(rows.length);
  for (const [i, [json]] of rows.entries()) lines[i] = (json as string) + "\n";
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
  /** The records as CSV (the default), as NDJSON, or their order lines as CSV. */
  format?: ExportFormat;
}

const encoder = new TextEncoder();
const CSV_HEADER_BYTES = encoder.encode(CSV_HEADER);
export const LINE_ITEM_CSV_HEADER = CSV_BOM + csvRow(LINE_ITEM_HEADER);
const LINE_ITEM_HEADER_BYTES = encoder.encode(LINE_ITEM_CSV_HEADER);

const FORMATS: Record<
  ExportFormat,
  {
    query: typeof buildActivityExportQuery;
    head?: Uint8Array;
    format: (rows: ExportRows) => string;
  }
> = {
  csv: { query: buildActivityExportQuery, head: CSV_HEADER_BYTES, format: formatActivityBatch },
  ndjson: { query: buildActivityNdjsonQuery, format: formatNdjsonBatch },
  "line-items": { query: buildLineItemExportQuery, head: LINE_ITEM_HEADER_BYTES, format: formatLineItemBatch },
};

/**
 * The CSV of every record matching `params` in the tenant's scope, newest first, as a byte stream
 * (or, by `format`, the same records as NDJSON, or their order lines as CSV: same stream, same
 * promises). Building the query is synchronous, so invalid input throws here, before any byte is
 * promised. The count in `onSettled` is of rows written: records, or lines for line items.
 */
export function createActivityCsvStream(options: ActivityCsvStreamOptions): ReadableStream<Uint8Array> {
  const { ctx, params, limits = DEFAULT_EXPORT_LIMITS } = options;
  const kind = FORMATS[options.format ?? "csv"];
  return createCursorStream({
    sql: options.sql ?? getExportSql(),
    begin: (tx) => scopeExportTransaction(tx, ctx, limits),
    query: kind.query(ctx, params),
    batchSize: options.batchSize ?? DEFAULT_EXPORT_BATCH_SIZE,
    head: kind.head,
    format: (rows) => encoder.encode(kind.format(rows)),
    pace: { turn: exportTurn, worked: exportWorked },
    signal: options.signal,
    onSettled: options.onSettled,
  });
}

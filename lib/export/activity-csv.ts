import { desc, getTableName, sql as dsql } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import type { Sql, TransactionSql } from "postgres";
import { getExportSql } from "@/db/client";
import { buildActivityWhere, type ActivityFilters } from "@/db/queries/activity-records";
import { activityRecordDetails, activityRecords, type Cloud } from "@/db/schema";
import { tenantScopeStatement } from "@/db/scope";
import type { TenantContext } from "@/db/with-tenant";
import { actionLabel, STATUS_LABELS } from "@/lib/activity-labels";
import { CSV_BOM, csvCell, csvRow, formatCsvTimestamp } from "@/lib/csv";
import { exportTurn, exportWorked } from "./give-way-to-pages";
import { connectionFailure } from "@/lib/database-errors";

/*
 * The "Export log" CSV, streamed from a Postgres cursor. Independent of Next: the route handler
 * only resolves the context and params and wraps the stream in a Response.
 *
 * Same rows as the page, by construction: the same where-builder (buildActivityWhere), the same
 * order (occurred_at desc, id desc) and the same two-fold tenant scope (the where-clause filters
 * by tenant and cloud, and the transaction runs as activity_app under row-level security).
 *
 * What the stream promises, and how:
 * - First bytes at once: the BOM and the header row are enqueued on start, before any query.
 * - Backpressure, flat memory: pull-based. Each pull() takes one batch and enqueues it as one
 *   chunk; the FETCH of the following batch runs while this one is formatted (Postgres and
 *   JavaScript work in parallel), and nothing beyond that is fetched until the reader wants more.
 * - A truncated file never looks complete: every batch is a whole `FETCH` statement of a SQL
 *   cursor (DECLARE ... NO SCROLL CURSOR), so a failure is always a rejected query, and the stream
 *   closes only after a short or empty FETCH and a successful COMMIT. Anything else errors the
 *   stream, and the download fails visibly.
 *
 * Why DECLARE/FETCH rather than postgres.js's `.cursor(n)` (3.4.9; see the
 * driver's source): `.cursor()` keeps one extended-protocol portal open without a Sync, so an
 * error between batches can end the iteration silently (porsager/postgres#1166), return() during
 * a pending next() wedges the connection, Postgres never sees the session as idle (no
 * idle_in_transaction timeout while a reader stalls), and a server-side FATAL makes the driver
 * buffer a Sync that can poison the pooled connection (see padToSynchronousWrite). Each FETCH is an ordinary statement: none of that applies, and a stalled
 * reader is ended by idle_in_transaction_session_timeout. Same round trips per batch.
 *
 * One more driver hazard shapes the code: writing to a reserved connection whose socket has
 * closed throws an uncaught TypeError from a setImmediate (porsager/postgres#1154, #1208) and
 * takes the process down, and sql.begin always writes COMMIT or ROLLBACK after its callback.
 * So once the export's connection is gone (begin has then already rejected), the callback sends
 * nothing more and never settles; see `alive()`.
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

export interface ExportLimits {
  /** Per statement, so per FETCH: a batch that takes longer than this is stuck, not slow. */
  statementTimeoutMs: number;
  /**
   * Between FETCHes, i.e. how long a reader may stop reading (the stream fetches only on demand):
   * a client that stalls but never disconnects cannot hold an export connection longer.
   */
  idleInTransactionTimeoutMs: number;
  /** The whole export, a backstop (Postgres 17+; ignored before). */
  transactionTimeoutMs: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = {
  statementTimeoutMs: 60_000,
  idleInTransactionTimeoutMs: 60_000,
  transactionTimeoutMs: 60 * 60_000,
};

/** How exports show up in pg_stat_activity (set per transaction, so it reverts when the export ends). */
export const EXPORT_APPLICATION_NAME = "partner-activity-log:export";

const CURSOR_NAME = "activity_export";

/** Thrown inside the export transaction to roll it back when the reader went away. */
class ExportAbortedError extends Error {
  constructor() {
    super("The export was cancelled.");
    this.name = "ExportAbortedError";
  }
}

type Scope = Pick<TenantContext, "tenantId" | "cloud">;

/**
 * Scopes the current transaction to one tenant and cloud (the same scope as withTenant) and limits
 * it as an export, in one round trip; all settings are transaction-local, so the pooled connection
 * comes back clean. cursor_tuple_fraction = 1: the whole result is wanted, so plan for total time,
 * not first rows.
 */
export async function scopeExportTransaction(
  tx: TransactionSql,
  ctx: Scope,
  limits: ExportLimits = DEFAULT_EXPORT_LIMITS,
): Promise<void> {
  const statement = tenantScopeStatement(ctx, [
    { name: "application_name", value: EXPORT_APPLICATION_NAME },
    { name: "statement_timeout", value: String(limits.statementTimeoutMs) },
    { name: "idle_in_transaction_session_timeout", value: String(limits.idleInTransactionTimeoutMs) },
    { name: "cursor_tuple_fraction", value: "1" },
    { name: "transaction_timeout", value: String(limits.transactionTimeoutMs), sinceServerVersion: 170000 },
  ]);
  /*
   * As text and parameters, not as the tagged-template parts: postgres.js 3.4.9 keeps an Error
   * for every strings array it is called with as a tag (its `originCache`, never emptied), and
   * the parts are a new array on every call. That Error's unformatted stack holds this export's
   * closures, and through them the request, its response and the session's timer: measured, ~8.5
   * MiB of JS heap per 200 aborted exports, for good.
   */
  await tx.unsafe(statement.text, statement.values);
}

// A standalone builder: renders SQL with drizzle's Postgres dialect, no database attached.
const queryBuilder = new QueryBuilder();

/*
 * Positions in each row (FETCH results come as arrays: no per-row object). occurred_at comes as
 * epoch milliseconds, a float8 that postgres.js parses as a number whatever date parsers a client
 * has (drizzle replaces them on clients it wraps); details come as a finished CSV cell of JSON
 * text built by Postgres, so JavaScript never parses, re-serialises or even quotes them.
 */
const AT = 0;
const CUSTOMER_NAME = 1;
const CUSTOMER_ID = 2;
const OPERATION_TYPE = 3;
const RESOURCE_TYPE = 4;
const STATUS = 5;
const USER = 6;
const APPLICATION = 7;
const CORRELATION_ID = 8;
const DETAILS = 9;

/*
 * The Details cell, finished by Postgres: the JSON text already quoted for CSV ('"' + text with
 * '"' doubled + '"'), so JavaScript appends it as is. It is most of every row's bytes, and
 * quoting it in JavaScript took several times longer than everything else in the row (measured:
 * ~5 s against ~1 s for 200k rows); Postgres does it on its own core while JavaScript formats the
 * previous batch. JSON text of an object starts with "{" (never a formula) and escapes control
 * characters, so the cell needs nothing else. Null (an empty cell) when the details row is missing,
 * rather than an object of nulls that was never logged.
 *
 * An imported record's verbatim source joins the cell only where there is one, so the log's own
 * rows export as they always have. (No SQL comments in here: the bench runs this text through a
 * one-line psql \copy.)
 *
 * Written with explicit qualifiers: drizzle renders columns unqualified in a single-table select,
 * so "occurred_at" = "occurred_at" inside the subquery would compare the details with themselves.
 */
const detailsCsvCell = (() => {
  const d = activityRecordDetails;
  const r = dsql.identifier(getTableName(activityRecords));
  const inner = (column: { name: string }) => dsql`d.${dsql.identifier(column.name)}`;
  const outer = (column: { name: string }) => dsql`${r}.${dsql.identifier(column.name)}`;
  return dsql<string | null>`(select '"' || replace((jsonb_build_object(
      'resourceOldValue', ${inner(d.resourceOldValue)},
      'resourceNewValue', ${inner(d.resourceNewValue)},
      'customizedData', ${inner(d.customizedData)})
      || case when ${inner(d.sourceRecord)} is null then '{}'::jsonb
              else jsonb_build_object('sourceRecord', ${inner(d.sourceRecord)}) end)::text, '"', '""') || '"'
    from ${d} d
    where ${inner(d.tenantId)} = ${outer(activityRecords.tenantId)}
      and ${inner(d.occurredAt)} = ${outer(activityRecords.occurredAt)}
      and ${inner(d.recordId)} = ${outer(activityRecords.id)})`;
})();

/**
 * The export query: the page's where-clause and order, each record's details looked up by its
 * full key. A correlated subquery rather than a join on purpose: it is always one primary-key
 * probe per row (run-time pruned to one partition), whatever the statistics say. A join let the
 * planner, on a partition without statistics yet, pick a range scan of the details with the key
 * as a mere filter, quadratic in the rows exported.
 */
export function buildActivityExportQuery(ctx: Scope, params: ActivityFilters): { sql: string; params: unknown[] } {
  const r = activityRecords;
  return queryBuilder
    .select({
      at: dsql<number>`(extract(epoch from ${r.occurredAt}) * 1000)::float8`,
      customerName: r.customerName,
      customerId: r.customerId,
      operationType: r.operationType,
      resourceType: r.resourceType,
      operationStatus: r.operationStatus,
      userPrincipalName: r.userPrincipalName,
      applicationId: r.applicationId,
      correlationId: r.correlationId,
      details: detailsCsvCell,
    })
    .from(r)
    .where(buildActivityWhere(ctx, params))
    .orderBy(desc(r.occurredAt), desc(r.id))
    .toSQL();
}

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
    const status = row[STATUS] as keyof typeof STATUS_LABELS;
    // formatCsvTimestamp's output needs neither quotes nor neutralising, Details comes quoted
    // from Postgres; every other cell goes through csvCell.
    lines[i] =
      formatCsvTimestamp(new Date(row[AT] as number)) +
      "," +
      csvCell(row[CUSTOMER_NAME] as string | null) +
      "," +
      csvCell(row[CUSTOMER_ID] as string | null) +
      "," +
      csvCell(actionLabel(row[OPERATION_TYPE] as string)) +
      "," +
      csvCell(row[OPERATION_TYPE] as string) +
      "," +
      csvCell(row[RESOURCE_TYPE] as string) +
      "," +
      csvCell(STATUS_LABELS[status] ?? status) +
      "," +
      csvCell(row[USER] as string) +
      "," +
      csvCell(row[APPLICATION] as string) +
      "," +
      csvCell(row[CORRELATION_ID] as string) +
      "," +
      ((row[DETAILS] as string | null) ?? "") +
      "\r\n";
  }
  return lines.join("");
}

export interface ActivityCsvStreamOptions {
  ctx: Scope;
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

/*
 * postgres.js 3.4.9 sends a message under 1 KiB from a setImmediate; if the socket closes before
 * that fires, the buffered bytes and a stale timer stay on the pooled connection and every later
 * connect on it stalls until connect_timeout (measured here: one poisoned slot per few killed
 * exports). A statement of 1 KiB or more is written at once, so the one statement an export sends
 * over and over is padded with a comment.
 */
const DRIVER_SYNC_WRITE_BYTES = 1024;
function padToSynchronousWrite(statement: string): string {
  return `${statement} /*${" ".repeat(Math.max(0, DRIVER_SYNC_WRITE_BYTES - statement.length))}*/`;
}

/** Postgres reported an ERROR for one statement: the transaction is aborted, the session is fine. */
function statementFailed(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { severity?: unknown }).severity === "ERROR";
}

/** Past the current event-loop turn, including its close phase. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
const never = () => new Promise<never>(() => {});

/**
 * The CSV of every record matching `params` in the tenant's scope, newest first, as a byte stream.
 * Building the query is synchronous, so invalid input throws here, before any byte is promised.
 */
export function createActivityCsvStream(options: ActivityCsvStreamOptions): ReadableStream<Uint8Array> {
  const { ctx, params, signal, batchSize = DEFAULT_EXPORT_BATCH_SIZE, limits = DEFAULT_EXPORT_LIMITS } = options;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError("batchSize must be a positive integer");
  const exportQuery = buildActivityExportQuery(ctx, params);
  const declare = `declare ${CURSOR_NAME} no scroll cursor for ${exportQuery.sql}`;
  const fetch = padToSynchronousWrite(`fetch forward ${batchSize} from ${CURSOR_NAME}`);
  const encoder = new TextEncoder();

  let stopping = false;
  let rowCount = 0;
  // The producer waits on `wake` for demand; a pull waits on `want` for the chunk it asked for,
  // or for the end (null) or failure of the export. Nothing else holds a chunk once it is
  // enqueued, so memory stays at a batch or two whatever the size of the file.
  let wake: (() => void) | null = null;
  let want: { resolve: (chunk: Uint8Array | null) => void; reject: (error: unknown) => void } | null = null;
  // The export's result once it has settled (then no more chunks will come), and the promise of it.
  let outcome: { error: unknown } | { done: true } | null = null;
  let run: Promise<void> | null = null;
  let onAbort: (() => void) | null = null;

  const stop = () => {
    stopping = true;
    wake?.();
    wake = null;
  };

  const demand = () => (stopping || want ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve)));

  const deliver = (chunk: Uint8Array) => {
    const waiting = want;
    want = null;
    waiting?.resolve(chunk);
  };

  let delivered = false;

  // One try at the whole export as one transaction; it resolves only after COMMIT succeeded.
  const attempt = (exportSql: Sql): Promise<void> => {
    // Set when the connection is gone or going: from then on nothing may be written to it.
    let lost = false;
    /*
     * Call before anything that writes to the connection: FETCH, and the COMMIT or ROLLBACK that
     * begin sends when the callback settles. A dead socket shows as an 'error' in one event-loop
     * turn and as 'close' (which rejects begin) only in that turn's close phase, so two nested
     * immediates carry us past it. A lost connection parks the callback for good (nothing
     * references it then, so it is garbage-collected); the stream fails with begin's rejection.
     */
    const alive = async () => {
      await nextTurn();
      if (lost) await never();
    };
    /** A statement's ERROR leaves the session usable; any other failure (FATAL, socket) does not. */
    const query = async <T>(pending: Promise<T>): Promise<T> => {
      try {
        return await pending;
      } catch (error) {
        if (!statementFailed(error)) lost = true;
        throw error;
      }
    };
    const transaction = exportSql.begin(async (tx) => {
      // The FETCH in flight, settled into a value so that a failure while the reader is away is
      // never an unhandled rejection; it is rethrown when the reader asks for that batch.
      let next: Promise<{ rows: unknown[][] } | { error: unknown }> | null = null;
      const fetchBatch = () => {
        next = alive()
          .then(() => query(tx.unsafe(fetch).values()))
          .then(
            (rows) => ({ rows: rows as unknown[][] }),
            (error: unknown) => ({ error }),
          );
      };
      try {
        if (stopping) throw new ExportAbortedError();
        await query(scopeExportTransaction(tx, ctx, limits));
        await query(tx.unsafe(declare, exportQuery.params as never[]));
        fetchBatch();
        for (;;) {
          await demand();
          if (stopping) throw new ExportAbortedError();
          const result = await next!;
          next = null;
          if ("error" in result) throw result.error;
          const { rows } = result;
          // A short batch is the last one: no need for an empty FETCH to learn it.
          const more = rows.length === batchSize;
          // Postgres produces the next batch while this one is formatted: one batch ahead, no more.
          if (more) fetchBatch();
          if (rows.length > 0) {
            delivered = true;
            rowCount += rows.length;
            await exportTurn();
            const started = performance.now();
            const chunk = encoder.encode(formatActivityBatch(rows));
            exportWorked(performance.now() - started);
            deliver(chunk);
          }
          if (!more) break;
        }
      } catch (error) {
        // Never leave a FETCH in flight behind the ROLLBACK (and learn whether it lost the connection).
        await next;
        await alive();
        throw error;
      }
      await alive();
    });
    transaction.catch(() => {
      lost = true;
    });
    return transaction;
  };

  /*
   * A pooled connection can be dead when the export picks it (the server restarted, or the driver
   * kept a stale FATAL from a killed query and replays it on the next one). Until the first row
   * is out nothing is lost, so such a failure gets one more try on another connection.
   */
  const produce = async (exportSql: Sql): Promise<void> => {
    try {
      await attempt(exportSql);
    } catch (error) {
      if (stopping || delivered || connectionFailure(error) === null) throw error;
      await attempt(exportSql);
    }
  };

  const settle = () => {
    if (onAbort) signal?.removeEventListener("abort", onAbort);
    onAbort = null;
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (signal?.aborted) {
        stopping = true;
        controller.error(signal.reason);
        return;
      }
      if (signal) {
        onAbort = () => {
          stop();
          try {
            controller.error(signal.reason);
          } catch {
            // Already closed or errored: nothing left to tell the reader.
          }
          settle();
        };
        signal.addEventListener("abort", onAbort, { once: true });
      }
      controller.enqueue(encoder.encode(CSV_HEADER));
    },

    async pull(controller) {
      if (!run) {
        // Never rejects: the result is kept in `outcome` and handed to whichever pull waits.
        run = produce(options.sql ?? getExportSql()).then(
          () => finish({ done: true }),
          (error: unknown) => finish({ error }),
        );
      }
      const chunk = outcome
        ? settled(outcome)
        : await new Promise<Uint8Array | null>((resolve, reject) => {
            want = { resolve, reject };
            wake?.();
            wake = null;
          });
      if (stopping) return;
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },

    async cancel() {
      stop();
      settle();
      // Resolve once the connection is back in the pool, so callers (and tests) can rely on it.
      await run;
    },
  });

  function finish(result: NonNullable<typeof outcome>) {
    outcome = result;
    settle();
    options.onSettled?.("error" in result ? { rows: rowCount, error: result.error } : { rows: rowCount });
    const waiting = want;
    want = null;
    if (!waiting) return;
    if ("error" in result) waiting.reject(result.error);
    else waiting.resolve(null);
  }
}

function settled(outcome: { error: unknown } | { done: true }): null {
  if ("error" in outcome) throw outcome.error;
  return null;
}

/** `activity-log_<cloud>_<from>_<to>.csv`, with the chosen days as the user picked them. */
export function exportFileName(cloud: Cloud, from: string, to: string): string {
  return `activity-log_${cloud}_${from}_${to}.csv`;
}

// RFC 8187 attr-char: everything else in filename* is percent-encoded.
const encodeRfc8187 = (value: string) =>
  encodeURIComponent(value).replace(/['()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());

/**
 * An attachment header every browser reads: an ASCII `filename` fallback (quotes, backslashes,
 * controls and non-ASCII replaced) and the exact name as UTF-8 in `filename*` (RFC 6266).
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(fileName)}`;
}

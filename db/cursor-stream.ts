import type { Sql, TransactionSql } from "postgres";
import { connectionFailure } from "@/lib/database-errors";

/*
 * A query's rows streamed from a Postgres cursor as bytes, for the export (and whatever else must
 * hand a client millions of rows). Knows nothing of CSV or of Next.
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

const CURSOR_NAME = "stream_cursor";

/** Thrown inside the stream's transaction to roll it back when the reader went away. */
class ExportAbortedError extends Error {
  constructor() {
    super("The export was cancelled.");
    this.name = "ExportAbortedError";
  }
}

export interface CursorStreamOptions {
  /** A pool of its own (exports never starve pages); one reserved connection per stream. */
  sql: Sql;
  /** Scopes and limits the transaction; runs before the cursor is declared. */
  begin: (tx: TransactionSql) => Promise<unknown>;
  query: { sql: string; params: unknown[] };
  /** Rows per FETCH, and so per chunk. */
  batchSize: number;
  /** Sent before any query, so the first bytes go out at once. */
  head?: Uint8Array;
  /** One batch of rows (arrays in the query's column order) as one chunk. */
  format: (rows: unknown[][]) => Uint8Array;
  /** Around each batch's formatting: wait for a turn, then report the time spent (lib/export/give-way-to-pages.ts). */
  pace?: { turn(): Promise<void>; worked(ms: number): void };
  /** The request's signal: when the client goes away, the query stops and the stream errors. */
  signal?: AbortSignal;
  /** Called once when the stream has ended: how many rows went out, and the error if it failed. */
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
 * The rows of `query` as a byte stream: `head` at once, then one chunk per FETCH, formatted by
 * `format`. The caller's `begin` scopes the transaction before the cursor is declared.
 */
export function createCursorStream(options: CursorStreamOptions): ReadableStream<Uint8Array> {
  const { query: cursorQuery, signal, batchSize } = options;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError("batchSize must be a positive integer");
  const declare = `declare ${CURSOR_NAME} no scroll cursor for ${cursorQuery.sql}`;
  const fetch = padToSynchronousWrite(`fetch forward ${batchSize} from ${CURSOR_NAME}`);

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
        await query(options.begin(tx));
        await query(tx.unsafe(declare, cursorQuery.params as never[]));
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
            await options.pace?.turn();
            const started = performance.now();
            const chunk = options.format(rows);
            options.pace?.worked(performance.now() - started);
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
      if (options.head) controller.enqueue(options.head);
    },

    async pull(controller) {
      if (!run) {
        // Never rejects: the result is kept in `outcome` and handed to whichever pull waits.
        run = produce(options.sql).then(
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

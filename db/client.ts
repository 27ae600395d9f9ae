import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres, { type Sql, type TransactionSql } from "postgres";
import { ConfigError } from "@/lib/errors";
import * as schema from "./schema";
import { connectionFailure } from "@/lib/database-errors";

export type Database = PostgresJsDatabase<typeof schema>;

interface Pools {
  url: string;
  pages: Sql;
  exports: Sql;
  db: Database;
}

// Survives Next's dev-mode module reloads, so reloading never leaks pools.
const globalForDb = globalThis as unknown as { __activityLogPools?: Pools };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new ConfigError("DATABASE_URL is not set (npm start sets it for the embedded database)");
  return url;
}

/*
 * How long a pooled connection waits before reconnecting after a failed connection, in seconds.
 * postgres.js 3.4.9 counts failures pool-wide and waits (0.5-1) x min(3^failures / 100, 20) s:
 * after a handful of refused connects while the database was down, every request waited 10-20 s,
 * both before failing (instead of a prompt 503) and after the database came back (measured in
 * tests/integration/faults.test.ts). A connection is only ever opened for a waiting query, so the
 * delay never spares the database a reconnect storm: it only holds that request. A short, capped
 * wait keeps a flapping server from a tight loop and lets requests fail or recover at once.
 */
const RECONNECT_BACKOFF_SECONDS = (failures: number) => Math.min(0.05 * failures, 0.25);

/** The session is gone (the socket closed or reset, or the server ended it), not a statement failing. */
const connectionLost = (error: unknown): boolean => connectionFailure(error)?.lost === true;

/** How long a failed transaction waits to learn whether its connection closed (the close event follows at once). */
const CLOSE_GRACE_MS = 1000;

/*
 * Two postgres.js 3.4.9 defects strike when the database stops or restarts under open
 * transactions; both are handled here, for every transaction of both pools.
 *
 * 1. porsager/postgres#1154, #1208: when a transaction's connection dies, sql.begin rejects, but
 *    once its callback has failed it still writes ROLLBACK to that connection. The socket is gone
 *    by then: the write throws an uncaught TypeError from a setImmediate (fatal to a process with
 *    no handler for it) and leaves its bytes and timer behind on the pooled connection, which then
 *    never sends its next startup message (see STARTUP_PADDING). Measured, before either fix: a
 *    pool of four with four transactions open at a fast shutdown had all four slots failing every
 *    query once the database was back.
 *    So a callback that failed because its connection is gone never settles, and nothing more is
 *    written; the caller still gets begin's rejection, and the parked callback, referenced by
 *    nothing, is garbage-collected (the export's transaction does the same, db/cursor-stream.ts).
 *    Should the connection turn out to be alive (the error came from elsewhere), begin does not
 *    reject by itself: after a short wait the error is rethrown and the transaction rolls back as
 *    usual, so a slot is never held for good.
 * 2. A connection that received the server's FATAL ("terminating connection due to administrator
 *    command") keeps it and fails the first statement after it reconnects with it, here BEGIN.
 *    A transaction that failed before its callback ran has done nothing, so a connection failure
 *    there is retried once (on a fresh connection, or the same one now cleared of it).
 */
type TransactionCallback = (tx: TransactionSql) => unknown;

function guardTransactions(sql: Sql): Sql {
  const begin = sql.begin.bind(sql) as (...args: unknown[]) => Promise<unknown>;
  const attempt = (options: unknown[], callback: TransactionCallback) => {
    let started = false;
    let ended: Promise<boolean> = Promise.resolve(false);
    const transaction = begin(...options, async (tx: TransactionSql) => {
      started = true;
      try {
        const result = callback(tx);
        return await (Array.isArray(result) ? Promise.all(result) : result);
      } catch (error) {
        if (connectionLost(error) && (await endsWithin(ended, CLOSE_GRACE_MS))) await new Promise<never>(() => {});
        throw error;
      }
    });
    ended = transaction.then(
      () => true,
      () => true,
    );
    return { transaction, started: () => started };
  };
  sql.begin = ((...args: unknown[]) => {
    const callback = args.pop() as TransactionCallback;
    const first = attempt(args, callback);
    return first.transaction.catch((error: unknown) => {
      if (first.started() || !connectionLost(error)) throw error;
      return attempt(args, callback).transaction;
    });
  }) as Sql["begin"];
  return sql;
}

/** True if `ended` resolves within `ms`. */
function endsWithin(ended: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ms, false)));
  return Promise.race([ended, timeout]).finally(() => clearTimeout(timer));
}

/*
 * postgres.js 3.4.9 writes a message under 1 KiB from a setImmediate; when the socket's close is
 * handled before that fires, the close handler cancels it but keeps the buffered bytes and the
 * cancelled timer on the pooled connection. The next connect on that slot queues its startup
 * message behind them and never sends it: connect_timeout, and a 503, on every later use of the
 * slot. A restart provides the sequence: an export fails as its connection closes, the route
 * records the failure, and that BEGIN goes to an idle connection whose close is the next event
 * (measured: about one slot lost per restart during an export). A startup message of 1 KiB or
 * more is written at once, stale bytes first: PostgreSQL refuses that garbled packet and closes,
 * postgres.js reconnects for the waiting query, and the slot is clean. So the startup message
 * carries a setting of our own that long (db/cursor-stream.ts pads its FETCH likewise).
 */
const STARTUP_PADDING = { "partner_activity_log.startup_padding": " ".repeat(1024) };

const commonOptions = (applicationName: string) => ({
  onnotice: () => {},
  connect_timeout: 5,
  backoff: RECONNECT_BACKOFF_SECONDS,
  connection: { application_name: applicationName, ...STARTUP_PADDING },
});

/**
 * A pool of its own for a background worker (log streaming), with the request pools' defences
 * against the driver defects above: a worker whose transaction loses its connection mid-send must
 * not take the process down.
 */
export function createWorkerSql(url: string, max: number, applicationName: string): Sql {
  return guardTransactions(postgres(url, { ...commonOptions(applicationName), max }));
}

function createPools(url: string): Pools {
  const common = commonOptions("partner-activity-log");
  const pages = guardTransactions(postgres(url, { ...common, max: Number(process.env.DB_POOL_MAX ?? 10) }));
  // Exports hold a connection for the whole download; their own small pool means a burst of
  // exports (or a stuck one) can never starve page views.
  const exports = guardTransactions(postgres(url, { ...common, max: Number(process.env.DB_EXPORT_POOL_MAX ?? 3) }));
  return { url, pages, exports, db: drizzle(pages, { schema }) };
}

function pools(): Pools {
  const url = databaseUrl();
  const existing = globalForDb.__activityLogPools;
  if (existing && existing.url === url) return existing;
  const created = createPools(url);
  globalForDb.__activityLogPools = created;
  return created;
}

export const getDb = (): Database => pools().db;
export const getSql = (): Sql => pools().pages;
export const getExportSql = (): Sql => pools().exports;

export async function closeDb(): Promise<void> {
  const existing = globalForDb.__activityLogPools;
  globalForDb.__activityLogPools = undefined;
  if (existing) await Promise.all([existing.pages.end({ timeout: 5 }), existing.exports.end({ timeout: 5 })]);
}

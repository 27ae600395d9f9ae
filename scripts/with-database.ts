import path from "node:path";
import postgres, { type Sql } from "postgres";
import { runMigrations } from "@/db/migrate";
import { startEmbeddedPostgres } from "@/lib/embedded-db";
import { ConfigError } from "@/lib/errors";
import { checkReachable, describeDatabaseError } from "@/lib/database-url";

/**
 * For maintenance scripts: the database at DATABASE_URL, or else the embedded default that
 * `npm start` uses (started for the script and stopped after, unless `npm start` already runs it,
 * in which case the port is taken and we say so).
 */
export async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const url = process.env.DATABASE_URL;
  if (url) {
    await checkReachable(url);
    return fn(url);
  }
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 15432);
  const embedded = await startEmbeddedPostgres({
    dataDir: process.env.EMBEDDED_PG_DATA ?? path.join(process.cwd(), ".data", "pg"),
    port,
  }).catch((error: unknown) => {
    if (error instanceof ConfigError && error.message.includes("is taken")) {
      throw new ConfigError(
        `the embedded database is in use (npm start is running?): run with DATABASE_URL=postgres://postgres:postgres@localhost:${port}/activity_log`,
      );
    }
    throw error;
  });
  try {
    // A first use may come before any `npm start`: bring the schema up as start would.
    await runMigrations(embedded.url);
    return await fn(embedded.url);
  } finally {
    await embedded.stop();
  }
}

/** withDatabase with one connection open for the script (session settings stay on it). */
export function withScriptSql<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
  return withDatabase(async (url) => {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      return await fn(sql);
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
}

/**
 * Runs a script's main (which may return an exit code), printing a one-line reason instead of a
 * stack trace on failure.
 */
export function runScript(name: string, main: () => Promise<void | number>): void {
  Promise.resolve()
    .then(main)
    .then(
      (code) => process.exit(code ?? 0),
      (error: unknown) => {
        console.error(`${name}: ${error instanceof ConfigError ? error.message : describeDatabaseError(error)}`);
        if (process.env.DEBUG) console.error(error);
        process.exit(1);
      },
    );
}

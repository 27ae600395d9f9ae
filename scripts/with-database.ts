import path from "node:path";
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
    return await fn(embedded.url);
  } finally {
    await embedded.stop();
  }
}

/** Runs a script's main, printing a one-line reason instead of a stack trace on failure. */
export function runScript(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`${name}: ${error instanceof ConfigError ? error.message : describeDatabaseError(error)}`);
      if (process.env.DEBUG) console.error(error);
      process.exit(1);
    },
  );
}

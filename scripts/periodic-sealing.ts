import postgres from "postgres";
import { sealLog } from "@/db/seals/seal-log";

/**
 * While `npm start` serves, seal the log every SEAL_INTERVAL_MINUTES (default 10; 0 turns it
 * off, e.g. when a cron job runs `npm run seal-log` instead). Sealing never blocks ingestion.
 */
export function startPeriodicSealing(databaseUrl: string): () => Promise<void> {
  const minutes = Number(process.env.SEAL_INTERVAL_MINUTES ?? 10);
  if (!(minutes > 0)) return async () => {};
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = sealLog({ sql }).catch((error: unknown) =>
      console.error(`[seal] ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  run();
  const timer = setInterval(run, minutes * 60_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
    await sql.end({ timeout: 5 });
  };
}

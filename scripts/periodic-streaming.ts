import { createWorkerSql } from "@/db/client";
import { startStreamWorker } from "@/lib/streaming/deliver";

/**
 * While `npm start` serves, deliver the log to its streaming destinations (STREAM_LOG=off turns
 * it off, e.g. when `npm run stream-log` runs as a service of its own). Several instances may run:
 * each destination is served by one at a time.
 */
export function startPeriodicStreaming(databaseUrl: string): () => Promise<void> {
  if (process.env.STREAM_LOG === "off") return async () => {};
  const sql = createWorkerSql(databaseUrl, Number(process.env.STREAM_POOL_MAX ?? 4), "partner-activity-log-stream");
  const worker = startStreamWorker({ sql, pollMs: Number(process.env.STREAM_POLL_MS ?? 1000) });
  return async () => {
    await worker.stop();
    await sql.end({ timeout: 5 });
  };
}

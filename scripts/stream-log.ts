/*
 * `npm run stream-log [-- --once]`: delivers the log to its streaming destinations until stopped
 * (Ctrl-C or SIGTERM finish the batch in flight first), or one pass with --once (every due
 * destination until its queue is empty or a send fails). `npm start` runs the same worker itself.
 */
import { parseArgs } from "node:util";
import { createWorkerSql } from "@/db/client";
import { deliverDue, startStreamWorker } from "@/lib/streaming/deliver";
import { runScript, withDatabase } from "./with-database";

runScript("stream-log", () => {
  const { values } = parseArgs({ options: { once: { type: "boolean", default: false } } });
  return withDatabase(async (url) => {
    const sql = createWorkerSql(url, Number(process.env.STREAM_POOL_MAX ?? 4), "partner-activity-log-stream");
    try {
      if (values.once) {
        const turns = await deliverDue({ sql, turnMs: Number.POSITIVE_INFINITY });
        for (const t of turns)
          console.log(`stream-log: ${t.destinationId}: ${t.delivered} delivered${t.error ? `; ${t.error}` : ""}`);
        if (turns.length === 0) console.log("stream-log: nothing to deliver");
        return turns.some((t) => t.error) ? 1 : 0;
      }
      const worker = startStreamWorker({ sql, pollMs: Number(process.env.STREAM_POLL_MS ?? 1000) });
      console.log("stream-log: delivering; Ctrl-C stops");
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
      });
      await worker.stop();
      return 0;
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});

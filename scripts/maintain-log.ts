/*
 * `npm run maintain-log`: creates the coming months' partitions and drops the ones older than
 * LOG_RETENTION_MONTHS (default 84, seven years), leaving a record of it in each affected tenant's
 * log. Idempotent; run it daily from cron (npm start also runs it at start-up).
 */
import postgres from "postgres";
import { DEFAULT_RETENTION_MONTHS, maintainLog } from "@/db/partitions";
import { runScript, withDatabase } from "./with-database";

runScript("maintain-log", () =>
  withDatabase(async (url) => {
    const months = Number(process.env.LOG_RETENTION_MONTHS ?? DEFAULT_RETENTION_MONTHS);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const { created, retention } = await maintainLog(sql, { months });
      console.log(
        `maintain-log: ${created} new partition(s); retention keeps records from ${retention.cutoff.toISOString().slice(0, 10)}`,
      );
      if (retention.dropped.length) console.log(`maintain-log: dropped ${retention.dropped.join(", ")}`);
    } finally {
      await sql.end({ timeout: 5 });
    }
  }),
);

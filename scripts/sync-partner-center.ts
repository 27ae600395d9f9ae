/*
 * `npm run sync-partner-center [-- --tenant <uuid>] [--all]`: one sync of every enabled Partner
 * Center connection that is due (every one with --all, or just one tenant's), for cron. Safe to
 * run beside `npm start` and beside itself: a tenant being synced elsewhere is skipped.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { ConfigError } from "@/lib/errors";
import { syncDueTenants, syncIntervalMinutes } from "@/lib/partner-center/sync/sync-due";
import { isUuid } from "@/lib/uuid";
import { runScript, withDatabase } from "./with-database";

const USAGE = "usage: npm run sync-partner-center -- [--tenant <uuid>] [--all] [--page-size 1-500]";

runScript("sync-partner-center", () => {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { tenant: { type: "string" }, all: { type: "boolean" }, "page-size": { type: "string" } },
  });
  if (values.tenant !== undefined && !isUuid(values.tenant)) {
    throw new ConfigError(`--tenant must be a tenant id (a UUID); got "${values.tenant}". ${USAGE}`);
  }
  const pageSize = values["page-size"] === undefined ? undefined : Number(values["page-size"]);
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 500)) {
    throw new ConfigError(`--page-size must be a whole number from 1 to 500. ${USAGE}`);
  }
  return withDatabase(async (url) => {
    // The run holds a lock on one connection while it imports on others.
    const sql = postgres(url, { max: 4, onnotice: () => {} });
    try {
      const results = await syncDueTenants(sql, {
        all: values.all,
        tenantId: values.tenant?.toLowerCase(),
        pageSize,
        intervalMinutes: syncIntervalMinutes(),
        log: (line) => console.log(line),
      });
      if (results.length === 0) console.log("no Partner Center connection is due");
      for (const { scope, result } of results) {
        const what =
          result.status === "busy"
            ? "skipped: another instance is syncing it"
            : `${result.stored.toLocaleString("en-US")} new record(s) over ${result.days} day(s)`;
        console.log(`${scope.tenantId} (${scope.cloud}): ${what}${result.error ? `; ${result.error}` : ""}`);
      }
      return results.some((r) => r.result.status === "failed") ? 1 : 0;
    } finally {
      await sql.end({ timeout: 5 });
    }
  });
});

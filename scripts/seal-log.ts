/*
 * `npm run seal-log [-- --tenant <uuid>] [-- --grace-minutes 5]`: seals every whole hour of
 * ingestion that has ended (see db/seals/seal-log.ts). Run it hourly (cron, a systemd timer or a
 * Kubernetes CronJob); it is idempotent and never blocks ingestion.
 */
import { parseArgs } from "node:util";
import { DEFAULT_SEAL_GRACE_MS, sealLog } from "@/db/seals/seal-log";
import { ConfigError } from "@/lib/errors";
import { runScript, withScriptSql } from "./with-database";

runScript("seal-log", () => {
  const { values } = parseArgs({ options: { tenant: { type: "string" }, "grace-minutes": { type: "string" } } });
  const graceMinutes =
    values["grace-minutes"] === undefined ? DEFAULT_SEAL_GRACE_MS / 60_000 : Number(values["grace-minutes"]);
  if (!Number.isFinite(graceMinutes) || graceMinutes < 0)
    throw new ConfigError("--grace-minutes must be a number of minutes");

  return withScriptSql(async (sql) => {
    const run = await sealLog({ sql, tenantId: values.tenant, graceMs: graceMinutes * 60_000 });
    console.log(`seal-log: sealing ingestion periods ending by ${run.horizon.toISOString()}`);
    for (const t of run.tenants) {
      const until = t.sealedUntil ? t.sealedUntil.toISOString() : "nothing sealed yet";
      const what = t.busy
        ? "skipped: another sealer is running"
        : `${t.sealed} new seal(s), ${t.rows.toLocaleString("en-US")} rows`;
      console.log(`  ${t.tenantId} (${t.cloud}): ${what}; sealed until ${until}`);
    }
  });
});

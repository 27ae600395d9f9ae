/*
 * `npm run seal-log [-- --tenant <uuid>] [-- --grace-minutes 5]`: seals every whole hour of
 * ingestion that has ended (see lib/seal/seal-log.ts). Run it hourly (cron, a systemd timer or a
 * Kubernetes CronJob); it is idempotent and never blocks ingestion.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { DEFAULT_SEAL_GRACE_MS, sealLog } from "@/lib/seal/seal-log";

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("seal-log: DATABASE_URL is not set; run it against the app's database, e.g. DATABASE_URL=postgres://postgres:postgres@localhost:15432/activity_log npm run seal-log");
    process.exit(1);
  }
  const { values } = parseArgs({ options: { tenant: { type: "string" }, "grace-minutes": { type: "string" } } });
  const graceMinutes = values["grace-minutes"] === undefined ? DEFAULT_SEAL_GRACE_MS / 60_000 : Number(values["grace-minutes"]);
  if (!Number.isFinite(graceMinutes) || graceMinutes < 0) throw new Error("--grace-minutes must be a number of minutes");

  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const run = await sealLog({ sql, tenantId: values.tenant, graceMs: graceMinutes * 60_000 });
    console.log(`seal-log: sealing ingestion periods ending by ${run.horizon.toISOString()}`);
    for (const t of run.tenants) {
      const until = t.sealedUntil ? t.sealedUntil.toISOString() : "nothing sealed yet";
      const what = t.busy ? "skipped: another sealer is running" : `${t.sealed} new seal(s), ${t.rows.toLocaleString("en-US")} rows`;
      console.log(`  ${t.tenantId} (${t.cloud}): ${what}; sealed until ${until}`);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main().catch((error) => {
  console.error(`seal-log: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

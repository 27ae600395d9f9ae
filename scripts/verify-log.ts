/*
 * `npm run verify-log [-- --tenant <uuid>]`: recomputes every seal from the rows as they are now
 * and reports, per tenant, the first period whose rows were changed, removed or inserted after
 * sealing, or whose seal chain is broken (lib/seal/verify-seals.ts). Exits 1 when any tenant fails.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { verifyAllTenants } from "@/lib/seal/verify-seals";

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("verify-log: DATABASE_URL is not set; run it against the app's database, e.g. DATABASE_URL=postgres://postgres:postgres@localhost:15432/activity_log npm run verify-log");
    process.exit(1);
  }
  const { values } = parseArgs({ options: { tenant: { type: "string" } } });
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  let failed = false;
  try {
    for (const v of await verifyAllTenants({ sql, tenantId: values.tenant })) {
      const unsealed = `${v.unsealed.rows.toLocaleString("en-US")} row(s) not sealed yet`;
      if (v.ok) {
        console.log(`OK    ${v.tenantId} (${v.cloud}): ${v.sealCount} seal(s), ${v.rowsChecked.toLocaleString("en-US")} rows verified; ${unsealed}`);
      } else {
        failed = true;
        const f = v.firstFailure!;
        const failures = v.periods.filter((p) => p.status !== "ok").length;
        console.log(`FAIL  ${v.tenantId} (${v.cloud}): ${failures} of ${v.sealCount} period(s) fail verification; ${unsealed}`);
        console.log(`      first: seal ${f.seq}, recorded ${f.periodStart.toISOString()} to ${f.periodEnd.toISOString()}: ${f.status}`);
        for (const problem of f.problems) console.log(`        - ${problem}`);
      }
      const dropped = v.periods.flatMap((p) => p.droppedMonths);
      if (dropped.length > 0) console.log(`      months dropped by retention: ${[...new Set(dropped)].sort().join(", ")}`);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(`verify-log: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

/*
 * `npm run verify-log [-- --tenant <uuid>]`: recomputes every seal from the rows as they are now
 * and reports, per tenant, the first period whose rows were changed, removed or inserted after
 * sealing, or whose seal chain is broken (db/seals/verify-seals.ts). Exits 1 when any tenant fails.
 */
import { parseArgs } from "node:util";
import { verifyAllTenants } from "@/db/seals/verify-seals";
import { runScript, withScriptSql } from "./with-database";

runScript("verify-log", () => {
  const { values } = parseArgs({ options: { tenant: { type: "string" } } });
  return withScriptSql(async (sql) => {
    let failed = false;
    for (const v of await verifyAllTenants({ sql, tenantId: values.tenant })) {
      const unsealed = `${v.unsealed.rows.toLocaleString("en-US")} row(s) not sealed yet`;
      if (v.ok) {
        console.log(
          `OK    ${v.tenantId} (${v.cloud}): ${v.sealCount} seal(s), ${v.rowsChecked.toLocaleString("en-US")} rows verified; ${unsealed}`,
        );
      } else {
        failed = true;
        const f = v.firstFailure!;
        const failures = v.periods.filter((p) => p.status !== "ok").length;
        console.log(
          `FAIL  ${v.tenantId} (${v.cloud}): ${failures} of ${v.sealCount} period(s) fail verification; ${unsealed}`,
        );
        console.log(
          `      first: seal ${f.seq}, recorded ${f.periodStart.toISOString()} to ${f.periodEnd.toISOString()}: ${f.status}`,
        );
        for (const problem of f.problems) console.log(`        - ${problem}`);
      }
      const dropped = v.periods.flatMap((p) => p.droppedMonths);
      if (dropped.length > 0)
        console.log(`      months dropped by retention: ${[...new Set(dropped)].sort().join(", ")}`);
    }
    return failed ? 1 : 0;
  });
});

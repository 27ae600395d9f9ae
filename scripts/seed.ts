/*
 * `npm run db:seed -- [--records N] [--seed S]`: loads the demo tenants with N records each
 * (default 20,000), generated set-based in SQL so millions take minutes. Only into a database
 * without tenants: seeding never touches data that is already there.
 */
import { parseArgs } from "node:util";
import { runMigrations } from "@/db/migrate";
import { DEFAULT_RECORDS_PER_TENANT, DEFAULT_SEED } from "@/db/seed/demo-data";
import { isEmpty, seedDemo } from "@/db/seed/seed-demo";
import { ConfigError } from "@/lib/errors";
import { runScript, withDatabase } from "./with-database";

runScript("db:seed", async () => {
  const { values } = parseArgs({ options: { records: { type: "string" }, seed: { type: "string" } } });
  const records = Number(values.records ?? DEFAULT_RECORDS_PER_TENANT);
  const seed = Number(values.seed ?? DEFAULT_SEED);
  if (!Number.isSafeInteger(records) || records < 0)
    throw new ConfigError(`--records must be a whole number, got "${values.records}"`);
  if (!Number.isSafeInteger(seed)) throw new ConfigError(`--seed must be a whole number, got "${values.seed}"`);

  await withDatabase(async (url) => {
    await runMigrations(url);
    if (!(await isEmpty(url))) {
      throw new ConfigError(
        "the database already holds tenants; seed an empty one (remove .data/ or point DATABASE_URL at a new database)",
      );
    }
    const started = Date.now();
    const summary = await seedDemo(url, {
      seed,
      recordsPerTenant: records,
      log: (line) => console.log(`db:seed: ${line}`),
    });
    console.log(
      `db:seed: ${summary.records.toLocaleString("en-US")} records in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});

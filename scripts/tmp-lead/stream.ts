import { runMigrations } from "@/db/migrate";
import { startEmbeddedPostgres } from "@/lib/embedded-db";
import { benchConfig } from "../bench/config";
import { measureLogStreaming } from "../bench/log-streaming";

const records = Number(process.argv[2] ?? 5000);
const pg = await startEmbeddedPostgres({ dataDir: "/tmp/lead-stream-pg/pg", port: 15790 });
try {
  await runMigrations(pg.url);
  const config = benchConfig("quick", {});
  config.ingest.records = records;
  for (let i = 0; i < 2; i++) {
    const r = await measureLogStreaming({ databaseUrl: pg.url, config, log: (l) => console.log(l) });
    console.log(JSON.stringify({ ratio: r.deliveredRecordsPerSecond / r.ingestRecordsPerSecond, ingest: r.ingestSeconds, deliver: r.deliverSeconds, lag: r.lagMs.median, max: r.maxLagMs }));
  }
} finally {
  await pg.stop();
}

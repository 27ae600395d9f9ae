import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runMigrations } from "@/db/migrate";
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/embedded-db";
import type { Log } from "./util";

/*
 * The embedded cluster a measuring script runs on (npm run bench, npm run test:load; each loads its
 * own data set into it). The LOAD runs with durability and autovacuum off; the cluster is then
 * restarted with normal durability for the MEASUREMENTS (LOAD_SETTINGS / MEASURE_SETTINGS, both
 * printed in the reports), with the migrations a kept data set may predate.
 */

const DAY_MS = 86_400_000;

/** Midnight UTC today: where a data set's generated history ends. */
export const todayAnchor = (now = new Date()) => new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);

export const LOAD_SETTINGS: Record<string, string> = {
  shared_buffers: "2GB",
  maintenance_work_mem: "1GB",
  work_mem: "64MB",
  // Big enough that checkpoints are rare, small enough that pg_wal stays a few GB (each
  // checkpoint is cheap with fsync off): 20 M records write about 25 GB of WAL.
  max_wal_size: "4GB",
  checkpoint_timeout: "1h",
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
  autovacuum: "off",
  max_connections: "50",
};

export const MEASURE_SETTINGS: Record<string, string> = {
  shared_buffers: "2GB",
  effective_cache_size: "16GB",
  maintenance_work_mem: "512MB",
  max_wal_size: "4GB",
  max_connections: "100",
};

export interface DatasetCluster<M> {
  url: string;
  /** What `build` returned when the data set was loaded (by this run, or one before it). */
  manifest: M;
  reused: boolean;
  /** Stops the cluster and removes a temporary folder (also registered with `onCluster`). */
  stop(): Promise<void>;
}

export interface DatasetClusterOptions<M> {
  log: Log;
  /** Keep the data set in resultsDir/keptName and use it again; otherwise a temp folder. */
  reuse: boolean;
  resultsDir: string;
  keptName: string;
  tempPrefix: string;
  /** Leave the temp folder behind after the run. */
  keepTemp?: boolean;
  /** Registered so that a signal can stop the cluster while the load runs. */
  onCluster(stop: () => Promise<void>): void;
  /** Loads the data set into a fresh, migrated cluster; what it returns is kept as the manifest. */
  build(url: string): Promise<M>;
  /** How a kept data set is named in the log ("built for ..."). */
  describeKept(manifest: M): string;
}

export async function openDatasetCluster<M>(options: DatasetClusterOptions<M>): Promise<DatasetCluster<M>> {
  const { log } = options;
  let root: string;
  let temporary = false;
  if (options.reuse) {
    root = path.join(options.resultsDir, options.keptName);
    if (existsSync(root) && !existsSync(path.join(root, "dataset.json"))) {
      log(`removing the incomplete data set in ${root}`);
      rmSync(root, { recursive: true, force: true });
    }
    mkdirSync(root, { recursive: true, mode: 0o755 });
    chmodSync(options.resultsDir, 0o755);
  } else {
    root = mkdtempSync(path.join(os.tmpdir(), options.tempPrefix));
    temporary = true;
  }
  chmodSync(root, 0o755); // the postgres OS user must reach it
  const dataDir = path.join(root, "pg");
  const manifestFile = path.join(root, "dataset.json");

  let cluster: EmbeddedDatabase | undefined;
  const stop = async () => {
    await cluster?.stop();
    cluster = undefined;
    if (temporary && !options.keepTemp) rmSync(root, { recursive: true, force: true });
  };
  options.onCluster(stop);

  try {
    const kept = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, "utf8")) as M) : null;
    let manifest: M;
    if (kept === null) {
      const port = await freePort();
      cluster = await startEmbeddedPostgres({ dataDir, port, settings: LOAD_SETTINGS });
      log(`embedded PostgreSQL (load settings) on port ${port}, data in ${dataDir}`);
      await runMigrations(cluster.url);
      manifest = await options.build(cluster.url);
      await cluster.stop();
      cluster = undefined;
      writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    } else {
      manifest = kept;
      log(`reusing the data set in ${root} (${options.describeKept(kept)})`);
    }

    const port = await freePort();
    cluster = await startEmbeddedPostgres({ dataDir, port, settings: MEASURE_SETTINGS });
    log(`embedded PostgreSQL (measurement settings: durability on) on port ${port}`);
    await runMigrations(cluster.url);
    return { url: cluster.url, manifest, reused: kept !== null, stop };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

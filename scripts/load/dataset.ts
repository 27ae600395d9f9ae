import { createHash } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { DEFAULT_SEED, DEMO_TENANTS, type DemoTenant } from "@/db/seed/demo-data";
import { seedDemo } from "@/db/seed/seed-demo";
import { LOAD_SETTINGS, MEASURE_SETTINGS, openDatasetCluster, todayAnchor } from "../harness/dataset-cluster";
import { seconds, type Log } from "../harness/util";
import type { LoadConfig } from "./config";
import { scopeMaintenanceSql } from "@/db/scope";

/*
 * The load test's throwaway database: a fresh embedded PostgreSQL in a temp folder, the committed
 * migrations, and the demo directory (the real demo tenants and accounts, so the virtual users
 * sign in as admin@contoso.example and friends) with far more history than `npm start` loads.
 * Only the commercial tenants: the app is served with PARTNER_CLOUDS=commercial (the bench's
 * launcher), where the US Government tenant could not sign in.
 *
 * Loaded with the bench's LOAD_SETTINGS (durability off), then VACUUM ANALYZE, then restarted
 * with its MEASURE_SETTINGS (durability on) for the run itself.
 *
 * The history ends at midnight UTC today, so the export range (whole days up to yesterday) holds
 * a fixed number of rows while the run adds "Viewed/Exported activity log" records of today.
 */

export interface LoadTenant {
  id: string;
  name: string;
  records: number;
  users: DemoTenant["users"];
}

export interface LoadDatabase {
  url: string;
  tenants: LoadTenant[];
  /** Midnight UTC ending the seeded history. */
  anchor: Date;
  spanDays: number;
  reused: boolean;
  loadSeconds: number | null;
  sizeBytes: number;
  settings: { load: Record<string, string>; measure: Record<string, string> };
  stop(): Promise<void>;
}

function planHash(config: LoadConfig["dataset"], anchor: Date): string {
  return createHash("sha256")
    .update(JSON.stringify({ v: 1, ...config, anchor: anchor.toISOString() }))
    .digest("hex")
    .slice(0, 12);
}

async function load(url: string, config: LoadConfig["dataset"], anchor: Date, log: Log): Promise<number> {
  const t0 = performance.now();
  // One tenant per seedDemo call (its record count differs); the same anchor for all. Sequential:
  // the generator reserves its ids with one setval, which two loads at once could overlap.
  for (const [index, plan] of config.tenants.entries()) {
    const tenant = DEMO_TENANTS.find((t) => t.name === plan.name);
    if (!tenant) throw new Error(`no demo tenant named ${plan.name}`);
    const started = performance.now();
    await seedDemo(url, {
      seed: DEFAULT_SEED + index * 101,
      anchor,
      spanDays: config.spanDays,
      recordsPerTenant: plan.records,
      tenants: [tenant],
    });
    const rate = plan.records / seconds(started);
    log(
      `  ${tenant.name}: ${plan.records.toLocaleString("en-US")} records (${Math.round(rate).toLocaleString("en-US")} rows/s)`,
    );
  }
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    log("  VACUUM ANALYZE (visibility map for index-only counts, statistics for the planner)");
    await sql.unsafe(
      "vacuum (analyze) activity_records, activity_record_details, partner_tenants, partner_users, customers, subscriptions",
    );
    await sql.unsafe("checkpoint");
  } finally {
    await sql.end({ timeout: 5 });
  }
  return seconds(t0);
}

async function databaseSize(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<[{ size: string }]>`select pg_database_size(current_database())::text as size`;
    return Number(row.size);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * The database for a run. `reuse`: keep it in bench-results/.load-dataset-<hash> and use it again
 * while it is the same plan built today (the hash includes the day, because the page's default
 * range, "the most recent month", is relative to today).
 */
export async function prepareLoadDatabase(options: {
  config: LoadConfig["dataset"];
  log: Log;
  reuse: boolean;
  resultsDir: string;
  onCluster(stop: () => Promise<void>): void;
}): Promise<LoadDatabase> {
  const { config, log } = options;
  const anchor = todayAnchor();
  const hash = planHash(config, anchor);
  const keptName = `.load-dataset-${hash}`;
  if (options.reuse) {
    // Kept data sets of other days or plans are of no further use: about 1 GB each.
    for (const entry of existsSync(options.resultsDir) ? readdirSync(options.resultsDir) : []) {
      if (entry.startsWith(".load-dataset-") && entry !== keptName) {
        log(`removing the kept data set ${entry} (another day or plan)`);
        rmSync(path.join(options.resultsDir, entry), { recursive: true, force: true });
      }
    }
  }
  const cluster = await openDatasetCluster({
    log,
    reuse: options.reuse,
    resultsDir: options.resultsDir,
    keptName,
    tempPrefix: "activity-log-load-",
    onCluster: options.onCluster,
    build: async (url) => ({ hash, anchor: anchor.toISOString(), loadSeconds: await load(url, config, anchor, log) }),
    describeKept: (kept) => `built earlier today in ${kept.loadSeconds.toFixed(0)} s`,
  });
  const tenants = config.tenants.map((plan) => {
    const tenant = DEMO_TENANTS.find((t) => t.name === plan.name)!;
    return { id: tenant.id, name: tenant.name, records: plan.records, users: tenant.users };
  });
  return {
    url: cluster.url,
    tenants,
    anchor,
    spanDays: config.spanDays,
    reused: cluster.reused,
    loadSeconds: cluster.reused ? null : cluster.manifest.loadSeconds,
    sizeBytes: await databaseSize(cluster.url),
    settings: { load: LOAD_SETTINGS, measure: MEASURE_SETTINGS },
    stop: cluster.stop,
  };
}

/** Rows of a tenant in [start, end), counted as the owner (no row-level security in the way). */
export async function countRecords(url: string, tenantId: string, start: Date, end: Date): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ n }] = await sql.begin(async (tx) => {
      await scopeMaintenanceSql(tx);
      return tx<[{ n: number }]>`
        select count(*)::int as n from activity_records
        where tenant_id = ${tenantId} and occurred_at >= ${start.toISOString()}::timestamptz and occurred_at < ${end.toISOString()}::timestamptz`;
    });
    return n;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

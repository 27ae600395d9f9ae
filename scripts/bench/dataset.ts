import postgres from "postgres";
import { runMigrations } from "@/db/migrate";
import { generateActivity } from "@/db/seed/activity-generator";
import { datasetHash, totalRecords, type DatasetPlan } from "./config";
import { LOAD_SETTINGS, MEASURE_SETTINGS, openDatasetCluster, todayAnchor } from "../harness/dataset-cluster";
import { benchDirectory, type BenchTenant } from "./directory";
import { seconds, type Log } from "../harness/util";
import { scopeMaintenanceSql, setMaintenanceSession } from "@/db/scope";

/*
 * The bench's throwaway database: a fresh embedded PostgreSQL in a temp folder (or the database at
 * DATABASE_URL), the committed migrations, the bench directory, and the plan's records generated
 * set-based by the demo seed's generator, two tenants at a time on two connections.
 *
 * The embedded cluster comes from openDatasetCluster (load with durability off, then VACUUM ANALYZE
 * and a checkpoint, measure with it on). With DATABASE_URL the server's own settings are used as
 * they are, for both phases.
 */

export interface DatasetInfo {
  hash: string;
  /** Midnight UTC ending the history: records span [anchor - spanDays, anchor). */
  anchor: string;
  records: number;
  tenants: number;
  loadSeconds: number | null;
  vacuumSeconds: number | null;
  reused: boolean;
  sizeBytes: { records: number; details: number; total: number } | null;
}

export interface BenchDatabase {
  url: string;
  /** Where the server runs: "embedded" (started here) or "external" (DATABASE_URL). */
  kind: "embedded" | "external";
  directory: BenchTenant[];
  info: DatasetInfo;
  /** Server settings in force during the measurements (embedded: what we set). */
  settings: { load: Record<string, string> | "server defaults"; measure: Record<string, string> | "server defaults" };
  stop(): Promise<void>;
}

export interface DatasetOptions {
  plan: DatasetPlan;
  log: Log;
  /** Keep the embedded data set under bench-results/.dataset-<hash> and reuse it next time. */
  reuse: boolean;
  /** Keep the temp folder after the run. */
  keep: boolean;
  resultsDir: string;
  /** Registered so that a signal can stop the cluster while the load runs. */
  onCluster(stop: () => Promise<void>): void;
}

const DAY_MS = 86_400_000;

interface Manifest {
  hash: string;
  anchor: string;
  loadSeconds: number;
  vacuumSeconds: number;
}

/**
 * Runs one tenant's generation after another on each of `workers` connections. generateActivity
 * reserves its block of ids with one `setval(nextval(...) + count)` statement; two of those at the
 * same instant could hand out overlapping blocks, so a reservation waits for the previous one to
 * finish (the chunks themselves run in parallel). The first tagged-template query a generator
 * sends is that reservation; the proxy below tells us when it is done.
 */
async function generateAll(
  url: string,
  tenants: BenchTenant[],
  from: Date,
  to: Date,
  seed: number,
  log: Log,
): Promise<void> {
  const queue = [...tenants].filter((t) => t.records > 0).sort((a, b) => b.records - a.records);
  const total = queue.reduce((n, t) => n + t.records, 0);
  let done = 0;
  let reservation: Promise<void> = Promise.resolve();
  const started = performance.now();

  const worker = async () => {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await setMaintenanceSession(sql);
      for (let tenant = queue.shift(); tenant; tenant = queue.shift()) {
        const previous = reservation;
        let release!: () => void;
        reservation = new Promise<void>((resolve) => (release = resolve));
        await previous;
        let fired = false;
        const signalling = new Proxy(sql, {
          apply(target, thisArg, args) {
            const query = Reflect.apply(target, thisArg, args) as Promise<unknown>;
            if (!fired) {
              fired = true;
              query.then(release, release);
            }
            return query;
          },
        });
        try {
          await generateActivity(signalling, {
            tenantId: tenant.id,
            cloud: tenant.cloud,
            count: tenant.records,
            from,
            to,
            seed: seed + tenants.indexOf(tenant) * 7919,
            customers: tenant.customers,
            userPrincipalNames: tenant.users.map((u) => u.userPrincipalName),
            details: tenant.details !== false,
          });
        } finally {
          release();
        }
        done += tenant.records;
        const rate = done / ((performance.now() - started) / 1000);
        log(
          `  ${tenant.name}: ${tenant.records.toLocaleString("en-US")} records (${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}, ${Math.round(rate).toLocaleString("en-US")} rows/s)`,
        );
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
  };
  await Promise.all([worker(), worker()]);
}

export async function insertDirectory(sql: postgres.Sql, tenants: BenchTenant[]): Promise<void> {
  await sql.begin(async (tx) => {
    await scopeMaintenanceSql(tx);
    await tx`insert into partner_tenants ${tx(tenants.map((t) => ({ id: t.id, cloud: t.cloud, name: t.name })))}`;
    await tx`insert into partner_users ${tx(
      tenants.flatMap((t) =>
        t.users.map((u) => ({
          id: u.id,
          tenant_id: t.id,
          user_principal_name: u.userPrincipalName,
          display_name: u.displayName,
          role: u.role,
        })),
      ),
    )}`;
    await tx`insert into customers ${tx(
      tenants.flatMap((t) =>
        t.customers.map((c) => ({ id: c.id, tenant_id: t.id, company_name: c.companyName, domain: c.domain })),
      ),
    )}`;
  });
}

/** Loads the plan into an empty, migrated database. Returns load and vacuum times in seconds. */
async function load(url: string, plan: DatasetPlan, directory: BenchTenant[], anchor: Date, log: Log) {
  const from = new Date(anchor.getTime() - plan.spanDays * DAY_MS);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ n }] = await sql.begin(async (tx) => {
      await scopeMaintenanceSql(tx);
      return tx<[{ n: number }]>`select count(*)::int as n from partner_tenants`;
    });
    if (n > 0) throw new Error("the bench database already holds tenants: point DATABASE_URL at an empty database");
    await sql`select ensure_activity_partitions(${from.toISOString()}::timestamptz, ${anchor.toISOString()}::timestamptz)`;
    await insertDirectory(sql, directory);

    const records = totalRecords(plan);
    log(
      `generating ${records.toLocaleString("en-US")} records over ${directory.filter((t) => t.records > 0).length} tenants (2 connections)`,
    );
    const t0 = performance.now();
    await generateAll(url, directory, from, anchor, plan.seed, log);
    const loadSeconds = seconds(t0);

    // Each reservation moves the sequence by count + 1; less means two reservations overlapped.
    const [{ last }] = await sql<[{ last: string }]>`select last_value::text as last from activity_records_id_seq`;
    const expected = directory.filter((t) => t.records > 0).reduce((s, t) => s + t.records + 1, 0);
    if (Number(last) !== expected)
      throw new Error(`record ids overlap after the load (sequence at ${last}, expected ${expected})`);

    log("VACUUM ANALYZE (visibility map for index-only counts, statistics for the planner)");
    const t1 = performance.now();
    await sql`set maintenance_work_mem = '1GB'`.catch(() => {});
    await sql.unsafe(
      "vacuum (analyze) activity_records, activity_record_details, partner_tenants, partner_users, customers",
    );
    await sql.unsafe("checkpoint").catch(() => {});
    return { loadSeconds, vacuumSeconds: seconds(t1) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function checkpoint(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe("checkpoint");
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function relationSizes(url: string): Promise<DatasetInfo["sizeBytes"]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<[{ records: string; details: string; total: string }]>`
      select coalesce(sum(pg_total_relation_size(relid)) filter (where parent = 'activity_records'), 0)::text as records,
             coalesce(sum(pg_total_relation_size(relid)) filter (where parent = 'activity_record_details'), 0)::text as details,
             pg_database_size(current_database())::text as total
      from (select relid, 'activity_records' as parent from pg_partition_tree('activity_records')
            union all select relid, 'activity_record_details' from pg_partition_tree('activity_record_details')) p`;
    return { records: Number(row.records), details: Number(row.details), total: Number(row.total) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function prepareDatabase(options: DatasetOptions): Promise<BenchDatabase> {
  const { plan, log } = options;
  const hash = datasetHash(plan);
  const directory = benchDirectory(plan);
  const external = process.env.DATABASE_URL;

  if (external) {
    log("using the database at DATABASE_URL (it must be empty; its own settings apply)");
    await runMigrations(external);
    const anchor = todayAnchor();
    const times = await load(external, plan, directory, anchor, log);
    return {
      url: external,
      kind: "external",
      directory,
      info: {
        hash,
        anchor: anchor.toISOString(),
        records: totalRecords(plan),
        tenants: plan.tenants.length,
        ...times,
        reused: false,
        sizeBytes: await relationSizes(external),
      },
      settings: { load: "server defaults", measure: "server defaults" },
      stop: async () => {},
    };
  }

  const cluster = await openDatasetCluster<Manifest>({
    log,
    reuse: options.reuse,
    resultsDir: options.resultsDir,
    keptName: `.dataset-${hash}`,
    tempPrefix: "activity-log-bench-",
    keepTemp: options.keep,
    onCluster: options.onCluster,
    build: async (url) => {
      const anchor = todayAnchor();
      return { hash, anchor: anchor.toISOString(), ...(await load(url, plan, directory, anchor, log)) };
    },
    describeKept: (kept) => `built for ${kept.anchor.slice(0, 10)}`,
  });
  const { url, manifest, reused } = cluster;
  // Trims pg_wal to the measurement settings' size now rather than at the next timed checkpoint.
  await checkpoint(url);
  return {
    url,
    kind: "embedded",
    directory,
    info: {
      hash,
      anchor: manifest.anchor,
      records: totalRecords(plan),
      tenants: plan.tenants.length,
      loadSeconds: reused ? null : manifest.loadSeconds,
      vacuumSeconds: reused ? null : manifest.vacuumSeconds,
      reused,
      sizeBytes: await relationSizes(url),
    },
    settings: { load: LOAD_SETTINGS, measure: MEASURE_SETTINGS },
    stop: cluster.stop,
  };
}

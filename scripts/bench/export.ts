import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import postgres from "postgres";
import { readRssBytes, type AppServer, type CookieJar } from "../harness/app-server";
import type { BenchConfig } from "./config";
import { tenantOf, type BenchTenant } from "./directory";
import { round, sleep, summarize, type Log, type Summary } from "../harness/util";
import { scopeMaintenanceSql, tenantScopeStatement } from "@/db/scope";

/*
 * "Export log" through the real route (GET /api/activity-log/export, signed in as the tenant's
 * global admin) against psql's \copy of the same rows and columns written as a DBA would
 * (dbaCopySql: the details joined by their key, the same where and order), in a transaction
 * scoped exactly as the route scopes its own (the tenant scope of db/scope.ts, as activity_app, so
 * row-level security applies to both), written to /dev/null. Two kinds, reported apart: the big
 * tenant's records with their details, and the lean tenant's records, which have none.
 *
 * The range is whole UTC days chosen to hold exactly `config.export.rows` rows of the tenant
 * (the generator spreads rows evenly over the span). Runs are interleaved route/psql after a
 * warm-up (a short route export, and one untimed psql pass that warms the caches for both).
 *
 * The route is read over plain node:http without Accept-Encoding (identity), which compares CSV
 * bytes with CSV bytes; one more run asks for gzip, as a browser does, and is reported beside it.
 * While the route streams, the Next server process's VmRSS is sampled every 100 ms.
 */

const DAY_MS = 86_400_000;
const RSS_INTERVAL_MS = 100;

export interface RouteRun {
  encoding: "identity" | "gzip";
  seconds: number;
  rows: number;
  /** CSV bytes (decompressed). */
  bytes: number;
  /** Bytes on the wire (compressed when gzip). */
  wireBytes: number;
  headersMs: number;
  firstByteMs: number;
  firstRowMs: number;
  rss: { baselineBytes: number; peakBytes: number; growthBytes: number; samples: number };
}

export interface PsqlRun {
  seconds: number;
  rows: number;
}

/** One kind of rows: records with their details (the big tenant), or lean records (no details). */
export interface ExportKindResults {
  tenant: string;
  from: string;
  to: string;
  expectedRows: number;
  route: RouteRun[];
  gzip: RouteRun | null;
  psql: PsqlRun[];
  routeSeconds: Summary;
  psqlSeconds: Summary;
  routeRowsPerSecond: number;
  psqlRowsPerSecond: number;
  /** The largest growth over a run's own baseline: the first full export included (cold heap). */
  rssGrowthBytes: number;
  /** The same over the runs after the first full export only (the server's heap has grown once). */
  rssGrowthWarmBytes: number;
  firstRowMs: number;
  firstRowFraction: number;
  /** The baseline's query, as psql ran it. */
  baselineSql: string;
}

/** The big tenant's same period in the other formats, once each through the route (identity). */
export interface ExportFormatRuns {
  /** NDJSON: one line per record, so as many lines as the CSV has rows. */
  ndjson: RouteRun;
  /** Line items: one row per order line of the same records. */
  lineItems: RouteRun;
}

/** Records with details (the top level, as before) and lean records beside them. */
export interface ExportResults extends ExportKindResults {
  lean: ExportKindResults;
  /** Absent in reports written before the other formats existed. */
  formats?: ExportFormatRuns;
  psqlVersion: string;
}

const dayString = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A SQL literal for psql: the export query's parameters are uuids, text and timestamps. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `'${text.replace(/'/g, "''")}'`;
}

export function inlineParams(sql: string, params: unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}

class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  readonly samples: number[] = [];
  constructor(private readonly pid: number) {}
  start() {
    this.timer = setInterval(() => {
      const rss = readRssBytes(this.pid);
      if (rss !== null) this.samples.push(rss);
    }, RSS_INTERVAL_MS);
  }
  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const rss = readRssBytes(this.pid);
    if (rss !== null) this.samples.push(rss);
  }
}

async function baselineRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const rss = readRssBytes(pid);
    if (rss !== null) samples.push(rss);
    await sleep(RSS_INTERVAL_MS);
  }
  if (samples.length === 0) throw new Error(`cannot read the memory of process ${pid}`);
  return summarize(samples).median;
}

/** One export through the route, read to the end: rows, bytes, when they arrived, server RSS. */
async function routeExport(
  app: AppServer,
  jar: CookieJar,
  query: string,
  encoding: "identity" | "gzip",
  headerLines = 1,
): Promise<RouteRun> {
  const baselineBytes = await baselineRss(app.serverPid);
  const sampler = new RssSampler(app.serverPid);
  sampler.start();
  let run: Omit<RouteRun, "rss">;
  try {
    run = await fetchExport(app, jar, query, encoding, headerLines);
  } finally {
    sampler.stop();
  }
  const peakBytes = Math.max(baselineBytes, ...sampler.samples);
  return {
    ...run,
    rss: { baselineBytes, peakBytes, growthBytes: peakBytes - baselineBytes, samples: sampler.samples.length },
  };
}

function fetchExport(
  app: AppServer,
  jar: CookieJar,
  query: string,
  encoding: "identity" | "gzip",
  /** Lines before the first row: the CSV's header, none for NDJSON. */
  headerLines = 1,
): Promise<Omit<RouteRun, "rss">> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.get(
      `${app.baseUrl}/api/activity-log/export?${query}`,
      { headers: { cookie: jar.header(), "accept-encoding": encoding, accept: "text/csv" } },
      (response) => {
        const headersMs = performance.now() - t0;
        if (response.statusCode !== 200) {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (c: string) => (body += c.slice(0, 500)));
          response.on("end", () =>
            reject(new Error(`export answered HTTP ${response.statusCode}: ${body.slice(0, 300)}`)),
          );
          return;
        }
        const contentEncoding = response.headers["content-encoding"];
        if (encoding === "identity" && contentEncoding) {
          response.destroy();
          reject(new Error(`export came ${contentEncoding}-encoded although identity was asked for`));
          return;
        }
        let wireBytes = 0;
        let firstByteMs = -1;
        response.on("data", (chunk: Buffer) => {
          if (firstByteMs < 0) firstByteMs = performance.now() - t0;
          wireBytes += chunk.length;
        });
        let bytes = 0;
        let newlines = 0;
        let firstRowMs = -1;
        const body = contentEncoding === "gzip" ? response.pipe(zlib.createGunzip()) : response;
        body.on("data", (chunk: Buffer) => {
          // The first line is the header: the first byte after its newline is the first data row.
          if (firstRowMs < 0) {
            const headerEnd = newlines === 0 ? chunk.indexOf(10) : -1;
            if (headerLines === 0 || newlines > 0 || (headerEnd !== -1 && headerEnd < chunk.length - 1))
              firstRowMs = performance.now() - t0;
          }
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
          bytes += chunk.length;
        });
        body.on("error", reject);
        response.on("error", reject);
        body.on("end", () =>
          resolve({
            encoding: contentEncoding === "gzip" ? "gzip" : "identity",
            seconds: (performance.now() - t0) / 1000,
            rows: Math.max(0, newlines - headerLines),
            bytes,
            wireBytes,
            headersMs: round(headersMs),
            firstByteMs: round(firstByteMs),
            firstRowMs: round(firstRowMs),
          }),
        );
      },
    );
    request.on("error", reject);
  });
}

function psqlBinary(): string {
  return process.env.PSQL ?? "/usr/bin/psql";
}

function runPsql(url: string, file: string): Promise<{ seconds: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(psqlBinary(), [url, "-X", "-v", "ON_ERROR_STOP=1", "-f", file], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", (error) => reject(new Error(`cannot run ${psqlBinary()}: ${error.message}`)));
    child.on("exit", (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) reject(new Error(`psql failed (exit ${code}): ${stderr.trim().slice(0, 500)}`));
      else resolve({ seconds, stdout });
    });
  });
}

export function psqlVersion(): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(psqlBinary(), ["--version"], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", () => resolve("not found"));
    child.on("exit", () => resolve(out.trim() || "unknown"));
  });
}

/*
 * The baseline, written as a DBA would write it: the same rows and columns, the details joined by
 * their key (no per-row probe), the same order, in a transaction scoped exactly as the route scopes
 * its own (so row-level security applies to both), through psql's \copy to /dev/null.
 */
export function dbaCopySql(ctx: { tenantId: string; cloud: string }, range: { start: Date; end: Date }): string {
  return [
    "select r.occurred_at, r.customer_name, r.customer_id, r.operation_type, r.resource_type, r.operation_status,",
    " r.user_principal_name, r.application_id, r.correlation_id,",
    " case when d.record_id is not null then jsonb_build_object('resourceOldValue', d.resource_old_value,",
    " 'resourceNewValue', d.resource_new_value, 'customizedData', d.customized_data) end as details",
    " from activity_records r left join activity_record_details d",
    " on d.tenant_id = r.tenant_id and d.occurred_at = r.occurred_at and d.record_id = r.id",
    ` where r.tenant_id = ${literal(ctx.tenantId)} and r.cloud = ${literal(ctx.cloud)}`,
    ` and r.occurred_at >= ${literal(range.start)} and r.occurred_at < ${literal(range.end)}`,
    " order by r.occurred_at desc, r.id desc",
  ].join("");
}

/** One kind of rows (with details, or lean), through the route and through psql, interleaved. */
async function measureKind(options: {
  app: AppServer;
  jar: CookieJar;
  databaseUrl: string;
  tenant: BenchTenant;
  rows: number;
  reps: number;
  spanDays: number;
  anchor: Date;
  log: Log;
  workDir: string;
}): Promise<ExportKindResults> {
  const { app, jar, databaseUrl, anchor, log, tenant } = options;
  const exportDays = Math.min(options.spanDays, Math.round((options.rows * options.spanDays) / tenant.records));
  const start = anchor.getTime() - exportDays * DAY_MS;
  const from = dayString(start);
  const to = dayString(anchor.getTime() - DAY_MS);
  const range = { start: new Date(start), end: anchor };
  const ctx = { tenantId: tenant.id, cloud: tenant.cloud };

  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  let expectedRows: number;
  try {
    [{ n: expectedRows }] = await admin.begin(async (tx) => {
      await scopeMaintenanceSql(tx);
      return tx<[{ n: number }]>`
        select count(*)::int as n from activity_records
        where tenant_id = ${tenant.id} and occurred_at >= ${range.start.toISOString()}::timestamptz and occurred_at < ${range.end.toISOString()}::timestamptz`;
    });
  } finally {
    await admin.end({ timeout: 5 });
  }

  const scope = tenantScopeStatement(ctx, []);
  const selectSql = dbaCopySql(ctx, range);
  const script = path.join(options.workDir, `export-${tenant.key}.sql`);
  writeFileSync(
    script,
    [
      "BEGIN;",
      `${inlineParams(scope.text, scope.values).replace(/\s+/g, " ")};`,
      `\\copy (${selectSql}) to '/dev/null' with (format csv, header)`,
      "COMMIT;",
      "",
    ].join("\n"),
  );

  const query = new URLSearchParams({ from, to }).toString();
  const psqlRows = (stdout: string) => Number(/COPY (\d+)/.exec(stdout)?.[1] ?? NaN);

  try {
    log(`export: ${expectedRows.toLocaleString("en-US")} rows of ${tenant.name} (${from} to ${to}); warm-up`);
    const warmQuery = new URLSearchParams({ from: to, to }).toString();
    await routeExport(app, jar, warmQuery, "identity");
    const warm = await runPsql(databaseUrl, script);
    if (psqlRows(warm.stdout) !== expectedRows)
      throw new Error(`psql copied ${psqlRows(warm.stdout)} rows, expected ${expectedRows}`);

    const route: RouteRun[] = [];
    const psql: PsqlRun[] = [];
    for (let rep = 0; rep < options.reps; rep++) {
      const order = rep % 2 === 0 ? ["route", "psql"] : ["psql", "route"];
      for (const side of order) {
        if (side === "route") {
          const run = await routeExport(app, jar, query, "identity");
          if (run.rows !== expectedRows)
            throw new Error(`the export route sent ${run.rows} rows, expected ${expectedRows}`);
          route.push(run);
          log(
            `  route: ${run.seconds.toFixed(2)} s, ${(run.bytes / 1024 ** 2).toFixed(0)} MiB, first row after ${run.firstRowMs.toFixed(0)} ms, RSS +${(run.rss.growthBytes / 1024 ** 2).toFixed(1)} MiB`,
          );
        } else {
          const { seconds, stdout } = await runPsql(databaseUrl, script);
          if (psqlRows(stdout) !== expectedRows)
            throw new Error(`psql copied ${psqlRows(stdout)} rows, expected ${expectedRows}`);
          psql.push({ seconds, rows: expectedRows });
          log(`  psql \\copy: ${seconds.toFixed(2)} s`);
        }
      }
    }

    log("export: once more with Accept-Encoding: gzip (what a browser asks for)");
    const gzip = await routeExport(app, jar, query, "gzip");
    if (gzip.rows !== expectedRows) throw new Error(`the gzip export sent ${gzip.rows} rows, expected ${expectedRows}`);
    log(`  route (gzip): ${gzip.seconds.toFixed(2)} s, ${(gzip.wireBytes / 1024 ** 2).toFixed(0)} MiB on the wire`);

    const routeSeconds = summarize(route.map((r) => r.seconds));
    const psqlSeconds = summarize(psql.map((r) => r.seconds));
    const firstRowMs = summarize(route.map((r) => r.firstRowMs)).median;
    return {
      tenant: tenant.key,
      from,
      to,
      expectedRows,
      route,
      gzip,
      psql,
      routeSeconds,
      psqlSeconds,
      routeRowsPerSecond: expectedRows / routeSeconds.median,
      psqlRowsPerSecond: expectedRows / psqlSeconds.median,
      rssGrowthBytes: Math.max(...route.map((r) => r.rss.growthBytes), gzip.rss.growthBytes),
      rssGrowthWarmBytes: Math.max(...route.slice(1).map((r) => r.rss.growthBytes), gzip.rss.growthBytes),
      firstRowMs,
      firstRowFraction: firstRowMs / 1000 / routeSeconds.median,
      baselineSql: selectSql,
    };
  } finally {
    rmSync(script, { force: true });
  }
}

export async function measureExport(options: {
  app: AppServer;
  /** Signed in as the big tenant's admin, and as the lean tenant's. */
  jars: { big: CookieJar; lean: CookieJar };
  databaseUrl: string;
  directory: BenchTenant[];
  config: BenchConfig;
  anchor: Date;
  log: Log;
  /** A scratch folder the caller removes (also on Ctrl-C). */
  workDir: string;
}): Promise<ExportResults> {
  const common = {
    app: options.app,
    databaseUrl: options.databaseUrl,
    rows: options.config.export.rows,
    reps: options.config.export.reps,
    spanDays: options.config.dataset.spanDays,
    anchor: options.anchor,
    log: options.log,
    workDir: options.workDir,
  };
  const details = await measureKind({ ...common, jar: options.jars.big, tenant: tenantOf(options.directory, "big") });
  const lean = await measureKind({ ...common, jar: options.jars.lean, tenant: tenantOf(options.directory, "lean") });
  // The other formats of the same period, beside (not instead of) the CSV's rows above.
  const period = new URLSearchParams({ from: details.from, to: details.to });
  options.log("export: the same period as NDJSON and as line items");
  const ndjson = await routeExport(options.app, options.jars.big, `${period}&format=ndjson`, "identity", 0);
  if (ndjson.rows !== details.expectedRows)
    throw new Error(`the NDJSON export sent ${ndjson.rows} lines, expected ${details.expectedRows}`);
  const lineItems = await routeExport(options.app, options.jars.big, `${period}&format=line-items`, "identity");
  options.log(
    `  NDJSON: ${ndjson.seconds.toFixed(2)} s; line items: ${lineItems.rows.toLocaleString("en-US")} lines in ${lineItems.seconds.toFixed(2)} s`,
  );
  return { ...details, lean, formats: { ndjson, lineItems }, psqlVersion: await psqlVersion() };
}

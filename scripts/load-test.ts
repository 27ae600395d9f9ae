/*
 * `npm run test:load [-- --quick] [-- --seconds <n>] [-- --users <n>] [-- --exports <n>] [-- --think <min>-<max>]
 *                    [-- --cycles <n>] [-- --order AB|BA] [-- --reuse] [-- --build] [-- --out <dir>]`
 *
 * The load test (not part of `npm test`; see docs/load-test.md). Builds a throwaway database
 * (embedded PostgreSQL in a temp folder) holding the commercial demo tenants with a few hundred
 * thousand records, serves the app as `npm start` does (scripts/serve.ts around Next's handler, NODE_ENV=production, the
 * existing build in NEXT_DIST_DIR or .next), signs in virtual users through the real OIDC flow as
 * the demo accounts, and measures two phases:
 *   A: the browsing users alone (pages only);
 *   B: the same users while export loops download a few hundred thousand rows each, over and over.
 * It fails (exit 1) on any error, or when p99 page latency in B is more than 1.5x that in A.
 *
 * Order: after an untimed warm-up (both kinds of traffic), the phases alternate in cycles:
 * A B A B A B A by default (3 cycles), each phase's seconds split evenly over its segments. Each
 * B segment is compared with the A segments on either side of it, and the goal is the median of
 * those ratios: a p99 is the 1 % tail of a few hundred requests, and one disturbed stretch (a
 * neighbour's job on the shared machine, a long collection, the first minute after the warm-up)
 * used to decide a whole run (0.78 one run, 2.36 the next). A drift during the run weighs on
 * both phases alike. Within a B segment every exporter starts a new export as soon as its last
 * one ends; when the segment ends, the exports in flight are read to their end (pages idle).
 * `--order AB|BA` runs the plain two phases instead (one cycle).
 *
 * --quick: 10 users, 1 exporter, 10 s per phase (a minute or two in all, mostly the data set).
 * --think: the users' think time before each step, in ms (default 1000-5000).
 * --reuse: keep the data set in bench-results/.load-dataset-<hash> and reuse it the same day.
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { signIn, startApp } from "./harness/app-server";
import { machineInfo } from "./harness/machine";
import { sleep } from "./harness/util";
import { loadConfig, type LoadConfig } from "./load/config";
import { countRecords, prepareLoadDatabase, type LoadTenant } from "./load/dataset";
import {
  cycleRatios,
  LOAD_REPORT_SCHEMA,
  medianOf,
  phaseResult,
  renderMarkdown,
  writeReport,
  type LoadReport,
  type Segment,
  type SegmentResult,
} from "./load/report";
import { latency, Recorder } from "./load/stats";
import { UsageMeter } from "./load/system";
import { Browser, Exporter, openWindow, type ExportPlan, type Session } from "./load/users";
import { runScript, scriptRun } from "./harness/script-run";
import { can } from "@/lib/auth/permissions";

const USAGE =
  "usage: npm run test:load -- [--quick] [--seconds <n>] [--users <n>] [--exports <n>] [--think <min>-<max> ms] [--cycles <n>] [--order AB|BA] [--reuse] [--build] [--out <dir>]";

const DAY_MS = 86_400_000;
/** Other jobs' CPU in a segment (cores) from which a run's ratio is not judged. */
const BUSY_NEIGHBOURS_CORES = 0.5;
/** What the load's app runs with beyond the benchmark launcher's settings. */
const APP_ENV = { PARTNER_CENTER_SYNC_MINUTES: "0" };
const SIGN_IN_CONCURRENCY = 4;

const startedAt = new Date();
const run = scriptRun("load");
const { log, onCleanup, cleanup } = run;

function wholeNumber(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

function thinkRange(raw: string | undefined): { min: number; max: number } | undefined {
  if (raw === undefined) return undefined;
  const match = /^(\d+)-(\d+)$/.exec(raw);
  const [min, max] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(min <= max && max <= 60_000)) throw new Error("--think must be <min>-<max> in milliseconds, e.g. 1000-5000");
  return { min, max };
}

/**
 * The order of the segments: `cycles` B segments, each between two A segments (A B A ... B A), or
 * the plain AB / BA. Every phase gets `seconds` in all, split evenly over its segments.
 */
function segmentsOf(order: string | undefined, cycles: number, seconds: number): Segment[] {
  if (order !== undefined && !/^(AB|BA)$/.test(order)) throw new Error("--order must be AB or BA (or use --cycles)");
  const letters = order ?? "A" + "BA".repeat(cycles);
  const count = { A: 0, B: 0 };
  for (const c of letters) count[c as "A" | "B"]++;
  return [...letters].map((c) => ({ phase: c as "A" | "B", seconds: seconds / count[c as "A" | "B"] }));
}

const dayString = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The i-th turn of a round robin over `list`. */
function roundRobin<T>(list: readonly T[], i: number, what: string): T {
  const item = list[i % list.length];
  if (item === undefined) throw new Error(`There are no ${what} to assign.`);
  return item;
}

/** Who the virtual users are: 4 in 5 may view the log (round robin over those accounts), the rest browse customers. */
function assignAccounts(tenants: LoadTenant[], users: number, exporters: number) {
  const all = tenants.flatMap((t) => t.users.map((u) => ({ email: u.userPrincipalName, role: u.role, tenant: t })));
  const viewers = all.filter((a) => can(a.role, "view_activity_log"));
  const others = all.filter((a) => !can(a.role, "view_activity_log"));
  // Viewers in an order that alternates tenants, so a few exporters already cover both.
  const interleaved = [...viewers].sort(
    (a, b) =>
      viewers.filter((v) => v.tenant === a.tenant).indexOf(a) - viewers.filter((v) => v.tenant === b.tenant).indexOf(b),
  );
  let viewer = 0;
  let other = 0;
  const browsing = Array.from({ length: users }, (_, i) =>
    i % 5 === 4 && others.length > 0
      ? roundRobin(others, other++, "other accounts")
      : roundRobin(interleaved, viewer++, "accounts that may view the log"),
  );
  const exporting = Array.from({ length: exporters }, (_, i) =>
    roundRobin(interleaved, i, "accounts that may view the log"),
  );
  return { browsing, exporting };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      quick: { type: "boolean", default: false },
      seconds: { type: "string" },
      users: { type: "string" },
      exports: { type: "string" },
      think: { type: "string" },
      order: { type: "string" },
      cycles: { type: "string" },
      reuse: { type: "boolean", default: false },
      build: { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config: LoadConfig = loadConfig(values.quick ? "quick" : "full", {
    seconds: wholeNumber("seconds", values.seconds, 2, 3600),
    users: wholeNumber("users", values.users, 1, 500),
    exports: wholeNumber("exports", values.exports, 1, 20),
    thinkMs: thinkRange(values.think),
    cycles: wholeNumber("cycles", values.cycles, 1, 20),
  });
  const segments = segmentsOf(values.order, config.cycles, config.seconds);
  const orderText = segments.map((x) => x.phase).join("");
  const outDir = path.resolve(values.out ?? "bench-results");
  log(
    `${config.mode} run: ${config.users} users, ${config.exports} exporters, ${config.seconds} s per phase (${orderText}); results go to ${outDir}`,
  );

  const db = await prepareLoadDatabase({
    config: config.dataset,
    log,
    reuse: values.reuse,
    resultsDir: path.resolve("bench-results"),
    onCluster: onCleanup,
  });

  // The export range: whole days up to yesterday, so the run's own log records (today) stay out.
  const from = dayString(db.anchor.getTime() - config.exportDays * DAY_MS);
  const to = dayString(db.anchor.getTime() - DAY_MS);
  const plans = new Map<string, { full: ExportPlan; short: ExportPlan }>();
  for (const tenant of db.tenants) {
    const full = await countRecords(
      db.url,
      tenant.id,
      new Date(db.anchor.getTime() - config.exportDays * DAY_MS),
      db.anchor,
    );
    const short = await countRecords(db.url, tenant.id, new Date(db.anchor.getTime() - DAY_MS), db.anchor);
    plans.set(tenant.id, {
      full: { query: new URLSearchParams({ from, to }).toString(), expectedRows: full },
      short: { query: new URLSearchParams({ from: to, to }).toString(), expectedRows: short },
    });
    log(`export of ${tenant.name}: ${from} to ${to}, ${full.toLocaleString("en-US")} rows`);
  }
  const machine = await machineInfo(db.url);

  const app = await startApp({
    databaseUrl: db.url,
    log,
    build: values.build,
    onStop: onCleanup,
    // The demo tenants are the load's tenants: the demo Partner Center sync would write records
    // into the exported days during the run (and take CPU), so the exports' row check would fail.
    env: APP_ENV,
  });

  // Sign-ins: one session per virtual user, through the real OIDC flow, a few at a time.
  const accounts = assignAccounts(db.tenants, config.users, config.exports);
  const wanted = [
    ...accounts.browsing.map((a) => ({ ...a, exporter: false })),
    ...accounts.exporting.map((a) => ({ ...a, exporter: true })),
  ];
  const sessions: Array<Session & { exporter: boolean; tenantId: string }> = [];
  const signInStart = performance.now();
  for (let i = 0; i < wanted.length; i += SIGN_IN_CONCURRENCY) {
    const batch = wanted.slice(i, i + SIGN_IN_CONCURRENCY);
    const signedIn = await Promise.all(batch.map(async (a) => ({ a, jar: await signIn(app.baseUrl, a.email) })));
    for (const { a, jar } of signedIn) {
      const index = a.exporter
        ? sessions.filter((s) => s.exporter).length + 1
        : sessions.filter((s) => !s.exporter).length + 1;
      sessions.push({
        index,
        email: a.email,
        canViewLog: can(a.role, "view_activity_log"),
        jar,
        exporter: a.exporter,
        tenantId: a.tenant.id,
      });
    }
  }
  const count = (list: Array<{ email: string }>) =>
    Object.fromEntries(
      [...new Set(list.map((a) => a.email))].map((e) => [e, list.filter((a) => a.email === e).length]),
    );
  log(
    `signed in ${sessions.length} sessions through the local OIDC authority in ${((performance.now() - signInStart) / 1000).toFixed(1)} s: ${Object.entries(
      count(wanted),
    )
      .map(([e, n]) => `${e} x${n}`)
      .join(", ")}`,
  );

  const recorder = new Recorder();
  const browsers = sessions
    .filter((s) => !s.exporter)
    .map((s) => new Browser(s, app.baseUrl, recorder, config.thinkMs));
  const exporters = sessions
    .filter((s) => s.exporter)
    .map((s) => new Exporter(s, app.baseUrl, recorder, plans.get(s.tenantId)!));

  // Warm-up: both kinds of traffic (the exporters on one day's range), not measured.
  log(`warm-up: ${config.warmupSeconds} s of browsing and short exports (not measured)`);
  {
    const window = openWindow("warmup", -1);
    const loops = [...browsers.map((b) => b.run(window)), ...exporters.map((e) => e.run(window))];
    await sleep(config.warmupSeconds * 1000);
    window.close();
    await Promise.all(loops);
    await sleep(1_000);
  }

  const results: SegmentResult[] = [];
  for (const [index, segment] of segments.entries()) {
    log(
      `segment ${index + 1}/${segments.length}: phase ${segment.phase} (${segment.phase === "A" ? "pages only" : `pages + ${exporters.length} export loops`}) for ${segment.seconds.toFixed(0)} s`,
    );
    const meter = new UsageMeter(app.serverPid);
    const window = openWindow(segment.phase, index);
    const started = performance.now();
    const pageLoops = browsers.map((b) => b.run(window));
    const exportLoops = segment.phase === "B" ? exporters.map((e) => e.run(window)) : [];
    await sleep(segment.seconds * 1000);
    window.close();
    await Promise.all(pageLoops);
    const windowSeconds = (performance.now() - started) / 1000;
    const drainStart = performance.now();
    if (exportLoops.length > 0) log("  window closed; reading the exports in flight to their end");
    await Promise.all(exportLoops);
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const usage = meter.stop();
    const pages = recorder.pages.filter((p) => p.segment === index);
    const result: SegmentResult = {
      ...segment,
      index,
      windowSeconds,
      drainSeconds,
      requests: pages.length,
      errors: recorder.errors.filter((e) => e.segment === index).length,
      pages: latency(pages.map((p) => p.ms)),
      usage,
    };
    results.push(result);
    log(
      `  ${result.requests} requests, ${result.errors} errors, p50 ${result.pages.p50.toFixed(0)} ms, p99 ${result.pages.p99.toFixed(0)} ms`,
    );
    // A moment for the server to settle (garbage collection, pools) before the next segment.
    await sleep(2_000);
  }

  log("stopping the app and the database");
  const loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const buildInfo = { buildId: app.buildId, buildStale: app.buildStale, distDir: app.distDir };
  await cleanup();

  const A = phaseResult("A", recorder, results);
  const B = phaseResult("B", recorder, results);
  const errors = {
    total: recorder.errors.length,
    warmup: recorder.errors.filter((e) => e.phase === "warmup").length,
    A: A.errors,
    B: B.errors,
    first: recorder.errors.slice(0, 20),
  };
  const ratio = { p99: B.pages.p99 / A.pages.p99, p95: B.pages.p95 / A.pages.p95, p50: B.pages.p50 / A.pages.p50 };
  const cycles = cycleRatios(recorder, results);
  const p99RatioMedian = medianOf(cycles.map((c) => c.ratio));
  const verdict: string[] = [];
  verdict.push(errors.total <= config.goal.maxErrors ? "zero errors" : `${errors.total} errors`);
  verdict.push(
    `p99 with exports / without = ${p99RatioMedian.toFixed(2)}, the median of ${cycles.length} cycle(s) (${cycles.map((c) => c.ratio.toFixed(2)).join(", ")}; goal <= ${config.goal.maxP99Ratio})`,
  );
  const errorsOk = errors.total <= config.goal.maxErrors && B.exports.ok > 0;
  let pass = errorsOk && p99RatioMedian <= config.goal.maxP99Ratio && A.requests > 0 && B.requests > 0;
  if (B.exports.ok === 0) verdict.push("no export completed in phase B");
  // A saturated machine in A makes pages queue without any export: the ratio then understates.
  const busyA = A.usage.machineCpuCores;
  const saturatedA = busyA !== null && busyA >= 0.9 * machine.cores;
  if (saturatedA)
    verdict.push(
      `warning: the machine was saturated in phase A (${busyA.toFixed(2)} of ${machine.cores} cores busy), so the ratio understates the exports' effect`,
    );
  // Other jobs on a shared machine: the most CPU they took in any segment.
  const others = results.map((r) =>
    r.usage.machineCpuCores === null || r.usage.runCpuCores === null
      ? 0
      : Math.max(0, r.usage.machineCpuCores - r.usage.runCpuCores),
  );
  const busiest = Math.max(0, ...others);
  if (busiest >= 0.25)
    verdict.push(
      `note: other jobs took up to ${busiest.toFixed(2)} cores in a segment (the segments table says which), so the latencies measured the neighbours too`,
    );
  // Latencies measured while neighbours took this much of the machine judge nothing: the run
  // says so instead of passing or failing the ratio (errors still fail it: they are answers).
  const inconclusive = errorsOk && (saturatedA || busiest >= BUSY_NEIGHBOURS_CORES);
  if (inconclusive) {
    pass = false;
    verdict.push(
      `INCONCLUSIVE: other jobs took ${busiest.toFixed(2)} cores in a segment (at most ${BUSY_NEIGHBOURS_CORES} to judge the ratio)${saturatedA ? " and the machine was saturated in phase A" : ""}; run it again on a quieter machine`,
    );
  }
  const finishedAt = new Date();
  const report: LoadReport = {
    schema: LOAD_REPORT_SCHEMA,
    mode: config.mode,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    command: ["npm run test:load --", ...process.argv.slice(2)].join(" "),
    pass,
    inconclusive,
    verdict,
    goal: config.goal,
    ratio,
    cycles,
    p99RatioMedian,
    errors,
    saturatedA,
    phases: { A, B },
    segments: results,
    machine,
    loadAverageAtEnd,
    dataset: {
      tenants: db.tenants.map((t) => ({ name: t.name, records: t.records })),
      spanDays: db.spanDays,
      anchor: db.anchor.toISOString(),
      sizeBytes: db.sizeBytes,
      reused: db.reused,
      loadSeconds: db.loadSeconds,
      postgres: { load: db.settings.load, run: db.settings.measure },
    },
    settings: {
      users: config.users,
      exporters: config.exports,
      warmupSeconds: config.warmupSeconds,
      thinkMs: config.thinkMs,
      order: segments.map((x) => `${x.phase} ${x.seconds.toFixed(0)} s`).join(", "),
      accounts: count(accounts.browsing),
      exporterAccounts: accounts.exporting.map((a) => a.email),
      exports: db.tenants.map((t) => ({
        tenant: t.name,
        query: plans.get(t.id)!.full.query,
        rows: plans.get(t.id)!.full.expectedRows,
      })),
      app: {
        ...buildInfo,
        env: {
          NODE_ENV: "production",
          PARTNER_CLOUDS: "commercial",
          INGEST_RATE_PER_SECOND: "0",
          SEAL_INTERVAL_MINUTES: "0",
          ...APP_ENV,
        },
      },
    },
  };
  const files = writeReport(report, outDir);
  console.log("");
  console.log(renderMarkdown(report));
  console.log(
    `Report: ${path.relative(process.cwd(), files.markdown) || files.markdown} (and .json, load-latest.md, load-latest.json); ${Math.round(report.durationSeconds)} s.`,
  );
  return pass ? 0 : inconclusive ? 3 : 1;
}

runScript(run, main, 2);

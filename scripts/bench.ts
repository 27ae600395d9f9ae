/*
 * `npm run bench [-- --quick] [-- --out <dir>] [-- --reuse] [-- --keep] [-- --build] [-- --ingest-concurrency <n>]`
 *
 * The benchmark. Builds its own data set in a throwaway database (a fresh embedded
 * PostgreSQL in a temp folder; DATABASE_URL to use an empty database elsewhere), then measures,
 * side by side in one run:
 *   - page: first page vs the page at depth 1,000; big vs small tenant; with and without filters;
 *   - export: 1,000,000 rows through the real route vs a DBA's psql \copy of the same rows and
 *     columns (details joined by key), for records with details and for lean records apart; the
 *     Next server's RSS growth; time to the first row;
 *   - ingestion: the API in batches of 500 with sealing on vs a raw multi-row INSERT through psql;
 *   - Partner Center sync: 90 days from the local stand-in vs importing the same records from a file;
 *   - log streaming: records delivered to a local webhook per second vs stored per second, and lag;
 * and prints a table of ratios, goals and absolute numbers with the machine's description,
 * written as JSON and Markdown to bench-results/ (and latest.json / latest.md there).
 *
 * --quick: 300 k records, depth 100, 100 k exported rows, 5 k ingested (about a minute).
 * --reuse: keep the embedded data set in bench-results/.dataset-<hash> and reuse it next time.
 * --keep: keep the temp folder of the embedded data set.
 * --build: run `next build` first (otherwise the existing build is served; built only if missing).
 *
 * Exits 0 when the bench ran, whether or not every goal was met (the report says which were
 * missed); non-zero only when the bench itself failed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { adminOf, tenantOf } from "./bench/directory";
import { signIn, startApp } from "./harness/app-server";
import { benchConfig } from "./bench/config";
import { prepareDatabase } from "./bench/dataset";
import { measureExport } from "./bench/export";
import { measureIngest } from "./bench/ingest";
import { machineInfo } from "./harness/machine";
import { measurePages } from "./bench/page";
import { measurePartnerCenterSync } from "./bench/partner-center-sync";
import { measureLogStreaming } from "./bench/log-streaming";
import { buildMetrics, renderMarkdown, REPORT_SCHEMA, writeReport, type BenchReport } from "./bench/report";
import { runScript, scriptRun } from "./harness/script-run";
import { generateSecretsKey } from "@/lib/secret-box";

const USAGE = "usage: npm run bench -- [--quick] [--out <dir>] [--reuse] [--keep] [--build] [--ingest-concurrency <n>]";

const startedAt = new Date();
const run = scriptRun("bench");
const { log, onCleanup, cleanup } = run;

async function main(): Promise<void> {
  // Stored connection and destination secrets are sealed under a key: one for this run.
  process.env.SECRETS_KEY ||= generateSecretsKey();
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      quick: { type: "boolean", default: false },
      out: { type: "string" },
      reuse: { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      build: { type: "boolean", default: false },
      "ingest-concurrency": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const concurrency = values["ingest-concurrency"] === undefined ? undefined : Number(values["ingest-concurrency"]);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 32)) {
    throw new Error("--ingest-concurrency must be a whole number from 1 to 32");
  }
  const config = benchConfig(values.quick ? "quick" : "full", { ingestConcurrency: concurrency });
  const outDir = path.resolve(values.out ?? "bench-results");
  const resultsDir = path.resolve("bench-results");
  log(`${config.mode} run; results go to ${outDir}`);

  // Scratch files (psql scripts), removed with everything else.
  const workDir = mkdtempSync(path.join(os.tmpdir(), "activity-log-bench-work-"));
  onCleanup(async () => rmSync(workDir, { recursive: true, force: true }));

  const db = await prepareDatabase({
    plan: config.dataset,
    log,
    reuse: values.reuse,
    keep: values.keep,
    resultsDir,
    onCluster: onCleanup,
  });
  const anchor = new Date(db.info.anchor);
  const machine = await machineInfo(db.url);

  const page = await measurePages(db.url, db.directory, config, anchor, log);

  const app = await startApp({ databaseUrl: db.url, log, build: values.build, onStop: onCleanup });
  const big = tenantOf(db.directory, "big");
  const jar = await signIn(app.baseUrl, adminOf(big).userPrincipalName);
  const lean = tenantOf(db.directory, "lean");
  const leanJar = await signIn(app.baseUrl, adminOf(lean).userPrincipalName);
  log(
    `signed in as ${adminOf(big).userPrincipalName} and ${adminOf(lean).userPrincipalName} through the local OIDC authority`,
  );

  const exp = await measureExport({
    app,
    jars: { big: jar, lean: leanJar },
    databaseUrl: db.url,
    directory: db.directory,
    config,
    anchor,
    log,
    workDir,
  });
  const ingest = await measureIngest({ app, databaseUrl: db.url, config, log, workDir });
  const sync = await measurePartnerCenterSync({ databaseUrl: db.url, config, log, workDir });
  const stream = await measureLogStreaming({ databaseUrl: db.url, config, log });

  log("stopping the app and the database");
  await cleanup();

  const metrics = buildMetrics(config, page, exp, ingest, sync, stream);
  const goals = metrics.filter((m) => m.goal !== null);
  const finishedAt = new Date();
  const report: BenchReport = {
    schema: REPORT_SCHEMA,
    mode: config.mode,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    command: ["npm run bench --", ...process.argv.slice(2)].join(" "),
    machine,
    dataset: {
      ...db.info,
      spanDays: config.dataset.spanDays,
      tenants: config.dataset.tenants.map((t) => ({ key: t.key, role: t.role, records: t.records })),
      database: db.kind,
    },
    settings: {
      postgres: db.settings,
      app: {
        buildId: app.buildId,
        buildStale: app.buildStale,
        env: {
          NODE_ENV: "production",
          PARTNER_CLOUDS: "commercial",
          INGEST_RATE_PER_SECOND: "0",
          SEAL_INTERVAL_MINUTES: "0",
        },
      },
      auth: "the real sign-in: Auth.js CSRF + sign-in POST, the local OIDC authority's login form (email + demo password), the app's callback; the session cookie is then sent with every export request.",
      sealing:
        "the background sealer is off in the app (SEAL_INTERVAL_MINUTES=0); the API's timed ingestion window ends with one seal run (sealLog) covering every ingested row.",
    },
    config,
    metrics,
    summary: {
      goals: goals.length,
      met: goals.filter((m) => m.pass).length,
      missed: goals.filter((m) => !m.pass).map((m) => m.id),
    },
    results: { page, export: exp, ingest, sync, stream },
  };
  const files = writeReport(report, outDir);

  // The whole report: the table of ratios and goals, then the absolute numbers and the machine.
  console.log("");
  console.log(renderMarkdown(report));
  console.log(
    `Goals met: ${report.summary.met} of ${report.summary.goals}${report.summary.missed.length ? `; missed: ${report.summary.missed.join(", ")}` : ""}.`,
  );
  console.log(
    `Report: ${path.relative(process.cwd(), files.markdown) || files.markdown} (and .json, latest.md, latest.json); ${Math.round(report.durationSeconds)} s.`,
  );
}

runScript(run, main, 1);

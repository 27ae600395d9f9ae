import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { BenchConfig } from "./config";
import type { DatasetInfo } from "./dataset";
import type { ExportKindResults, ExportResults } from "./export";
import type { IngestResults } from "./ingest";
import type { MachineInfo } from "../harness/machine";
import type { PageResults } from "./page";
import type { StreamingResults } from "./log-streaming";
import type { SyncResults } from "./partner-center-sync";
import { formatBytes, round } from "../harness/util";

/*
 * The bench's output: a list of metrics (A vs B, their ratio, the goal and whether it was met),
 * the absolute numbers behind them, and what they were measured on, as JSON (for comparing runs)
 * and Markdown (for people). The metric ids are stable: tests check that every one is present.
 */

export const REPORT_SCHEMA = "partner-activity-log/bench@1";

export interface MetricValue {
  label: string;
  value: number;
  unit: string;
}

export type Goal =
  | { kind: "ratio-max"; value: number }
  | { kind: "ratio-min"; value: number }
  | { kind: "value-max"; value: number; unit: string };

export interface Metric {
  id: string;
  group: "page" | "export" | "ingest" | "sync" | "stream";
  label: string;
  a: MetricValue;
  b: MetricValue | null;
  /** a / b (null when there is no B). */
  ratio: number | null;
  /** null: informational, no goal. */
  goal: Goal | null;
  pass: boolean | null;
}

/** Every metric a report holds, in order. */
export const METRIC_IDS = [
  "page.depth.big",
  "page.depth.big.filtered",
  "page.depth.mid",
  "page.tenant.big-vs-small",
  "page.tenant.mid-vs-small",
  "page.tenant.big-vs-small.filtered",
  "page.tenant.mid-vs-small.filtered",
  "page.rows-query.big-vs-small",
  "page.count-query.big-vs-small",
  "page.count-query.big-vs-small.filtered",
  "page.search.rare-name",
  "page.search.uuid",
  "page.filters.multi-select",
  "page.filters.multi-select.users",
  "page.chart",
  "export.throughput",
  "export.throughput.gzip",
  "export.throughput.lean",
  "export.throughput.lean.gzip",
  "export.rss-growth",
  "export.rss-growth.warm",
  "export.first-row",
  "export.ndjson.throughput",
  "export.line-items.throughput",
  "export.formats.rss-growth",
  "ingest.throughput",
  "ingest.throughput.without-seal",
  "sync.throughput",
  "stream.throughput",
  "stream.lag",
] as const;

export interface BenchReport {
  schema: typeof REPORT_SCHEMA;
  mode: BenchConfig["mode"];
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  command: string;
  machine: MachineInfo;
  dataset: Omit<DatasetInfo, "tenants"> & {
    spanDays: number;
    tenants: Array<{ key: string; role: string; records: number }>;
    database: "embedded" | "external";
  };
  settings: {
    postgres: { load: Record<string, string> | "server defaults"; measure: Record<string, string> | "server defaults" };
    app: { buildId: string; buildStale: boolean; env: Record<string, string> };
    auth: string;
    sealing: string;
  };
  config: BenchConfig;
  metrics: Metric[];
  summary: { goals: number; met: number; missed: string[] };
  results: {
    page: PageResults;
    export: ExportResults;
    ingest: IngestResults;
    sync: SyncResults;
    stream: StreamingResults;
  };
}

const judge = (goal: Goal | null, ratio: number | null, a: number): boolean | null => {
  if (!goal) return null;
  if (goal.kind === "ratio-max") return ratio !== null && ratio <= goal.value;
  if (goal.kind === "ratio-min") return ratio !== null && ratio >= goal.value;
  return a < goal.value;
};

function metric(m: Omit<Metric, "ratio" | "pass"> & { ratio?: number | null }): Metric {
  const ratio = m.ratio !== undefined ? m.ratio : m.b ? m.a.value / m.b.value : null;
  return { ...m, ratio: ratio === null ? null : round(ratio, 3), pass: judge(m.goal, ratio, m.a.value) };
}

const ms = (label: string, value: number): MetricValue => ({ label, value: round(value, 3), unit: "ms" });
const perSecond = (label: string, value: number, what: string): MetricValue => ({
  label,
  value: Math.round(value),
  unit: `${what}/s`,
});

export function buildMetrics(
  config: BenchConfig,
  page: PageResults,
  exp: ExportResults,
  ingest: IngestResults,
  sync: SyncResults,
  stream: StreamingResults,
): Metric[] {
  // The bench measures every variant and part named here: a missing one is a bench that changed.
  const variant = (key: string) => {
    const found = page.variants[key];
    if (!found) throw new Error(`The page results have no variant ${key}.`);
    return found;
  };
  const part = (key: string) => {
    const found = page.parts[key];
    if (!found) throw new Error(`The page results have no part ${key}.`);
    return found;
  };
  const n = (records: number) => (records >= 1_000_000 ? `${records / 1_000_000}M` : `${Math.round(records / 1000)}k`);
  const big = n(variant("big.first").tenantRecords);
  const mid = n(variant("mid.first").tenantRecords);
  const small = n(variant("small.first").tenantRecords);
  const depth = page.depth.toLocaleString("en-US");
  const pageMax: Goal = { kind: "ratio-max", value: 1.5 };
  const med = (key: string) => variant(key).ms.median;
  return [
    metric({
      id: "page.depth.big",
      group: "page",
      label: `Page at depth ${depth} / first page, ${big} tenant, no filter`,
      a: ms(`depth ${depth}`, med("big.deep")),
      b: ms("first page", med("big.first")),
      goal: pageMax,
    }),
    metric({
      id: "page.depth.big.filtered",
      group: "page",
      label: `Page at depth ${depth} / first page, ${big} tenant, status = failed`,
      a: ms(`depth ${depth}`, med("big.failed.deep")),
      b: ms("first page", med("big.failed.first")),
      goal: pageMax,
    }),
    metric({
      id: "page.depth.mid",
      group: "page",
      label: `Page at depth ${depth} / first page, ${mid} tenant, no filter`,
      a: ms(`depth ${depth}`, med("mid.deep")),
      b: ms("first page", med("mid.first")),
      goal: pageMax,
    }),
    metric({
      id: "page.tenant.big-vs-small",
      group: "page",
      label: `First page, ${big} tenant / ${small} tenant, no filter`,
      a: ms(big, med("big.first")),
      b: ms(small, med("small.first")),
      goal: pageMax,
    }),
    metric({
      id: "page.tenant.mid-vs-small",
      group: "page",
      label: `First page, ${mid} tenant / ${small} tenant, no filter`,
      a: ms(mid, med("mid.first")),
      b: ms(small, med("small.first")),
      goal: pageMax,
    }),
    metric({
      id: "page.tenant.big-vs-small.filtered",
      group: "page",
      label: `First page, ${big} / ${small} tenant, status = failed + action`,
      a: ms(big, med("big.filtered.first")),
      b: ms(small, med("small.filtered.first")),
      goal: pageMax,
    }),
    metric({
      id: "page.tenant.mid-vs-small.filtered",
      group: "page",
      label: `First page, ${mid} / ${small} tenant, status = failed + action`,
      a: ms(mid, med("mid.filtered.first")),
      b: ms(small, med("small.filtered.first")),
      goal: pageMax,
    }),
    metric({
      id: "page.rows-query.big-vs-small",
      group: "page",
      label: `Rows query alone, ${big} / ${small} tenant, no filter`,
      a: ms(big, part("big").rows.median),
      b: ms(small, part("small").rows.median),
      goal: null,
    }),
    metric({
      id: "page.count-query.big-vs-small",
      group: "page",
      label: `Count alone, ${big} / ${small} tenant, no filter`,
      a: ms(big, part("big").count.median),
      b: ms(small, part("small").count.median),
      goal: null,
    }),
    metric({
      id: "page.count-query.big-vs-small.filtered",
      group: "page",
      label: `Count alone, ${big} / ${small} tenant, filtered`,
      a: ms(big, part("big.filtered").count.median),
      b: ms(small, part("small.filtered").count.median),
      goal: null,
    }),
    metric({
      id: "page.search.rare-name",
      group: "page",
      label: `First page, ${big} tenant: search for a customer name no record has / no filter`,
      a: ms("name search", med("big.search.rare.first")),
      b: ms("no filter", med("big.first")),
      goal: pageMax,
    }),
    metric({
      id: "page.search.uuid",
      group: "page",
      label: `First page, ${big} tenant: search for a correlation id / no filter`,
      a: ms("UUID search", med("big.search.uuid.first")),
      b: ms("no filter", med("big.first")),
      goal: pageMax,
    }),
    // Multi-select filters (their own block).
    metric({
      id: "page.filters.multi-select",
      group: "page",
      label: `First page, ${big} tenant: two statuses and two actions at once / no filter`,
      a: ms("multi-select", med("big.multi.first")),
      b: ms("no filter", med("big.first")),
      goal: pageMax,
    }),
    // With users the count comes from the per-day counts by user.
    metric({
      id: "page.filters.multi-select.users",
      group: "page",
      label: `First page, ${big} tenant: two statuses, two actions and three users at once / no filter`,
      a: ms("multi-select + users", med("big.multi.users.first")),
      b: ms("no filter", med("big.first")),
      goal: pageMax,
    }),
    // The activity chart (its own block).
    metric({
      id: "page.chart",
      group: "page",
      label: `First page, ${big} tenant: with the activity chart / without`,
      a: ms("with chart", page.chart.withChart.median),
      b: ms("without", page.chart.page.median),
      goal: { kind: "ratio-max", value: 1.2 },
    }),
    metric({
      id: "export.throughput",
      group: "export",
      label: `Export ${exp.expectedRows.toLocaleString("en-US")} rows with details: route / a DBA's psql \\copy (rows/s)`,
      a: perSecond("route", exp.routeRowsPerSecond, "rows"),
      b: perSecond("psql", exp.psqlRowsPerSecond, "rows"),
      goal: { kind: "ratio-min", value: 0.8 },
    }),
    metric({
      id: "export.throughput.gzip",
      group: "export",
      label: "Export with details, Accept-Encoding: gzip (a browser): route / psql (rows/s)",
      a: perSecond("route gzip", exp.gzip ? exp.expectedRows / exp.gzip.seconds : 0, "rows"),
      b: perSecond("psql", exp.psqlRowsPerSecond, "rows"),
      goal: null,
    }),
    metric({
      id: "export.throughput.lean",
      group: "export",
      label: `Export ${exp.lean.expectedRows.toLocaleString("en-US")} lean rows (no details): route / a DBA's psql \\copy (rows/s)`,
      a: perSecond("route", exp.lean.routeRowsPerSecond, "rows"),
      b: perSecond("psql", exp.lean.psqlRowsPerSecond, "rows"),
      goal: { kind: "ratio-min", value: 0.8 },
    }),
    metric({
      id: "export.throughput.lean.gzip",
      group: "export",
      label: "Export of lean rows, Accept-Encoding: gzip: route / psql (rows/s)",
      a: perSecond("route gzip", exp.lean.gzip ? exp.lean.expectedRows / exp.lean.gzip.seconds : 0, "rows"),
      b: perSecond("psql", exp.lean.psqlRowsPerSecond, "rows"),
      goal: null,
    }),
    metric({
      id: "export.rss-growth",
      group: "export",
      label: `Next server RSS growth exporting ${exp.expectedRows.toLocaleString("en-US")} rows (largest run; the first on a fresh server)`,
      a: { label: "growth", value: round(exp.rssGrowthBytes / 1024 ** 2, 1), unit: "MiB" },
      b: null,
      goal: { kind: "value-max", value: 64, unit: "MiB" },
    }),
    metric({
      id: "export.rss-growth.warm",
      group: "export",
      label: "Next server RSS growth during the exports after the first one (heap already grown)",
      a: { label: "growth", value: round(exp.rssGrowthWarmBytes / 1024 ** 2, 1), unit: "MiB" },
      b: null,
      goal: null,
    }),
    metric({
      id: "export.first-row",
      group: "export",
      label: "Export: time to the first data row / whole export",
      a: ms("first row", exp.firstRowMs),
      b: ms("whole export", exp.routeSeconds.median * 1000),
      goal: { kind: "ratio-max", value: 0.1 },
    }),
    ...(exp.formats
      ? [
          metric({
            id: "export.ndjson.throughput",
            group: "export",
            label: "Export of the same records as NDJSON: route NDJSON / route CSV (rows/s)",
            a: perSecond("NDJSON", exp.formats.ndjson.rows / exp.formats.ndjson.seconds, "rows"),
            b: perSecond("CSV", exp.routeRowsPerSecond, "rows"),
            goal: null,
          }),
          metric({
            id: "export.line-items.throughput",
            group: "export",
            label: `Export of the same records' ${exp.formats.lineItems.rows.toLocaleString("en-US")} order lines: line items / CSV records (rows/s)`,
            a: perSecond("line items", exp.formats.lineItems.rows / exp.formats.lineItems.seconds, "rows"),
            b: perSecond("CSV", exp.routeRowsPerSecond, "rows"),
            goal: null,
          }),
          metric({
            id: "export.formats.rss-growth",
            group: "export",
            label: "Next server RSS growth exporting NDJSON / line items (largest of the two)",
            a: {
              label: "growth",
              value: round(
                Math.max(exp.formats.ndjson.rss.growthBytes, exp.formats.lineItems.rss.growthBytes) / 1024 ** 2,
                1,
              ),
              unit: "MiB",
            },
            b: null,
            goal: { kind: "value-max", value: 64, unit: "MiB" },
          }),
        ]
      : []),
    metric({
      id: "ingest.throughput",
      group: "ingest",
      label: `Ingest ${ingest.records.toLocaleString("en-US")}: API (batches of ${ingest.batchSize}, sealing on) / raw INSERT`,
      a: perSecond("API + seal", ingest.apiRecordsPerSecond, "records"),
      b: perSecond("raw INSERT", ingest.rawRecordsPerSecond, "records"),
      goal: { kind: "ratio-min", value: 0.6 },
    }),
    metric({
      id: "ingest.throughput.without-seal",
      group: "ingest",
      label: "Ingest: API without the seal run / raw INSERT",
      a: perSecond("API", ingest.apiIngestOnlyRecordsPerSecond, "records"),
      b: perSecond("raw INSERT", ingest.rawRecordsPerSecond, "records"),
      goal: null,
    }),
    metric({
      id: "sync.throughput",
      group: "sync",
      label: `Partner Center ${sync.records.toLocaleString("en-US")} records of 90 days: sync from the API / import from a file`,
      a: perSecond("sync", sync.syncRecordsPerSecond, "records"),
      b: perSecond("file import", sync.fileRecordsPerSecond, "records"),
      goal: { kind: "ratio-min", value: 0.5 },
    }),
    metric({
      id: "stream.throughput",
      group: "stream",
      label: `Log streaming ${stream.records.toLocaleString("en-US")} records to one webhook (batches of ${stream.batchSize}): delivered / stored per second`,
      a: perSecond("delivered", stream.deliveredRecordsPerSecond, "records"),
      b: perSecond("stored", stream.ingestRecordsPerSecond, "records"),
      goal: { kind: "ratio-min", value: 0.8 },
    }),
    metric({
      id: "stream.lag",
      group: "stream",
      label: "Log streaming: the longest a record waited from stored to received",
      a: ms("max lag", stream.maxLagMs),
      b: null,
      goal: { kind: "value-max", value: 5_000, unit: "ms" },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Rendering

const num = (x: number, digits = 2) =>
  x >= 1000
    ? Math.round(x).toLocaleString("en-US")
    : x >= 100
      ? x.toFixed(0)
      : x >= 10
        ? x.toFixed(1)
        : x.toFixed(digits);

const value = (v: MetricValue | null) => (v ? `${num(v.value, v.unit === "ms" ? 3 : 2)} ${v.unit}` : "");

function goalText(goal: Goal | null): string {
  if (!goal) return "(info)";
  if (goal.kind === "ratio-max") return `<= ${goal.value}`;
  if (goal.kind === "ratio-min") return `>= ${goal.value}`;
  return `< ${goal.value} ${goal.unit}`;
}

export function metricsTable(metrics: Metric[]): string {
  const rows = metrics.map((m) => [
    m.label,
    `${m.a.label}: ${value(m.a)}`,
    m.b ? `${m.b.label}: ${value(m.b)}` : "",
    m.ratio === null ? "" : m.ratio.toFixed(m.ratio < 10 ? 3 : 1),
    goalText(m.goal),
    m.pass === null ? "" : m.pass ? "PASS" : "MISS",
  ]);
  const header = ["Metric", "A", "B", "A/B", "Goal", "Result"];
  const escape = (s: string) => s.replace(/\|/g, "\\|");
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (i >= 3 ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(escape).join(" | ")} |`),
  ].join("\n");
}

function pageTable(page: PageResults): string {
  const lines = [
    "| Variant | Tenant records | Filters | Depth | Median ms | p95 ms | Min ms | Rows | Count |",
    "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const [key, v] of Object.entries(page.variants)) {
    const filters =
      Object.entries(v.filters)
        .map(([k, x]) => `${k}=${x}`)
        .join(", ") || "none";
    lines.push(
      `| ${key} | ${v.tenantRecords.toLocaleString("en-US")} | ${filters} | ${v.depth} | ${v.ms.median.toFixed(3)} | ${v.ms.p95.toFixed(3)} | ${v.ms.min.toFixed(3)} | ${v.rows} | ${v.count.toLocaleString("en-US")}${v.capped ? "+" : ""} |`,
    );
  }
  lines.push(
    "",
    "The page's two queries alone (first page):",
    "",
    "| Tenant / filters | Rows query median ms (p95) | Count median ms (p95) |",
    "| --- | ---: | ---: |",
  );
  for (const [key, p] of Object.entries(page.parts)) {
    lines.push(
      `| ${key} | ${p.rows.median.toFixed(3)} (${p.rows.p95.toFixed(3)}) | ${p.count.median.toFixed(3)} (${p.count.p95.toFixed(3)}) |`,
    );
  }
  lines.push("", "Walks to the cursor at depth (one pass, rows query only):", "");
  for (const w of page.walk) {
    const filters =
      Object.entries(w.filters)
        .map(([k, x]) => `${k}=${x}`)
        .join(", ") || "no filter";
    lines.push(
      `- ${w.tenant}, ${filters}: ${w.pages} pages in ${w.seconds.toFixed(2)} s (${w.msPerPage.toFixed(3)} ms/page)`,
    );
  }
  return lines.join("\n");
}

function exportText(exp: ExportResults): string {
  return [
    exportKindText(exp, "with details"),
    "",
    exportKindText(exp.lean, "lean, no details"),
    "",
    `psql: ${exp.psqlVersion}.`,
  ].join("\n");
}

function exportKindText(exp: ExportKindResults, kind: string): string {
  const lines = [
    `Range ${exp.from} to ${exp.to} (UTC), ${exp.expectedRows.toLocaleString("en-US")} rows of the ${exp.tenant} tenant (${kind}).`,
    "",
    "| Run | Seconds | Rows/s | CSV bytes | Wire bytes | Headers ms | First byte ms | First row ms | RSS baseline | RSS peak | RSS growth |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const routeRow = (name: string, r: ExportKindResults["route"][number]) =>
    `| ${name} | ${r.seconds.toFixed(2)} | ${Math.round(r.rows / r.seconds).toLocaleString("en-US")} | ${formatBytes(r.bytes)} | ${formatBytes(r.wireBytes)} | ${r.headersMs.toFixed(1)} | ${r.firstByteMs.toFixed(1)} | ${r.firstRowMs.toFixed(1)} | ${formatBytes(r.rss.baselineBytes)} | ${formatBytes(r.rss.peakBytes)} | ${formatBytes(r.rss.growthBytes)} |`;
  exp.route.forEach((r, i) => lines.push(routeRow(`route #${i + 1} (identity)`, r)));
  if (exp.gzip) lines.push(routeRow("route (gzip)", exp.gzip));
  exp.psql.forEach((p, i) =>
    lines.push(
      `| psql \\copy #${i + 1} | ${p.seconds.toFixed(2)} | ${Math.round(p.rows / p.seconds).toLocaleString("en-US")} | | | | | | | | |`,
    ),
  );
  lines.push("", "Baseline: `" + exp.baselineSql + "`");
  return lines.join("\n");
}

function ingestText(ingest: IngestResults): string {
  const lines = [
    `${ingest.records.toLocaleString("en-US")} records per side, batches of ${ingest.batchSize}, ${ingest.concurrency} request(s) in flight, ${formatBytes(ingest.requestBytes)} of JSON per run.`,
    "",
    "| Run | Order | API ingest s | Seal s (rows, seals) | API batch median ms (p95) | Raw INSERT s |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  ];
  ingest.runs.forEach((r, i) =>
    lines.push(
      `| #${i + 1} | ${r.order} | ${r.api.ingestSeconds.toFixed(2)} | ${r.api.sealSeconds.toFixed(2)} (${r.api.sealedRows.toLocaleString("en-US")}, ${r.api.seals}) | ${r.api.batchMs.median.toFixed(1)} (${r.api.batchMs.p95.toFixed(1)}) | ${r.raw.seconds.toFixed(2)} |`,
    ),
  );
  return lines.join("\n");
}

function syncText(sync: SyncResults): string {
  const lines = [
    `${sync.records.toLocaleString("en-US")} records per side (90 days from the local stand-in), each side into a fresh tenant through the same import.`,
    "",
    "| Run | Order | Sync s | File import s |",
    "| --- | --- | ---: | ---: |",
  ];
  sync.runs.forEach((r, i) =>
    lines.push(`| #${i + 1} | ${r.order} | ${r.syncSeconds.toFixed(2)} | ${r.fileSeconds.toFixed(2)} |`),
  );
  return lines.join("\n");
}

const settingsText = (s: Record<string, string> | "server defaults") =>
  s === "server defaults"
    ? "the server's own settings (DATABASE_URL)"
    : Object.entries(s)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const d = report.dataset;
  const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`;
  return [
    `# Activity log benchmark (${report.mode})`,
    "",
    `${report.startedAt} to ${report.finishedAt} (${Math.round(report.durationSeconds)} s). Goals met: ${report.summary.met} of ${report.summary.goals}${report.summary.missed.length ? ` (missed: ${report.summary.missed.join(", ")})` : ""}.`,
    "",
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${gib(m.memoryBytes)} RAM, ${m.os} (${m.kernel}); Node ${m.node}; ${m.postgres}; ${m.psql}; Next ${m.next}; commit ${m.gitCommit}; load average at start ${m.loadAverageAtStart.join(" / ")}.`,
    "",
    `Data set: ${d.records.toLocaleString("en-US")} records over ${d.tenants.length} tenants (${d.tenants.map((t) => `${t.key} ${t.records.toLocaleString("en-US")}`).join(", ")}), ${d.spanDays} days ending ${d.anchor.slice(0, 10)}, ${d.database} database${d.reused ? ", reused from an earlier run" : ""}${d.loadSeconds !== null ? `; loaded in ${d.loadSeconds.toFixed(0)} s (${Math.round(d.records / d.loadSeconds).toLocaleString("en-US")} rows/s), VACUUM ANALYZE ${d.vacuumSeconds?.toFixed(0)} s` : ""}${d.sizeBytes ? `; size ${gib(d.sizeBytes.total)} (records ${gib(d.sizeBytes.records)}, details ${gib(d.sizeBytes.details)})` : ""}.`,
    "",
    `PostgreSQL settings for the load: ${settingsText(report.settings.postgres.load)}. For the measurements: ${settingsText(report.settings.postgres.measure)}${report.settings.postgres.measure === "server defaults" ? "" : " (durability settings at their defaults: fsync, synchronous_commit and full_page_writes on, autovacuum on)"}.`,
    "",
    `App: scripts/serve.ts (Next's handler) serving build ${report.settings.app.buildId}${report.settings.app.buildStale ? " (older than the sources at the time of the run)" : ""}, ${Object.entries(
      report.settings.app.env,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}. Auth: ${report.settings.auth} Sealing: ${report.settings.sealing}`,
    "",
    "## Results",
    "",
    metricsTable(report.metrics),
    "",
    "Ratios are medians of runs measured side by side in this run (interleaved). MISS means the goal was not met; the bench still exits 0.",
    "",
    "How: page times are the server time of the page's two queries (getActivityPage + countActivity side by side, through withTenant: row-level security as activity_app), medians of interleaved rounds; the count is capped at 10,000 and answers 'more than 10,000' from the per-day counts when the whole days of the range already hold more. Both sides of the ingestion ratio write through the same table triggers (the per-day counts). The export is read from the real route by a signed-in client without compression (CSV bytes against CSV bytes), psql \\copy runs the route's own query (buildActivityExportQuery) in a transaction scoped as the route scopes its own, to /dev/null. RSS is the Next server process's VmRSS sampled every 100 ms, growth = peak during a run - median just before it. The first-row ratio is the time to the first data row over the whole export (the rows are read at a steady pace, so < 0.1 means the first row was out before a tenth of the rows were read). Ingestion: the API's window includes one seal run over the ingested rows; the raw side is psql running one multi-row INSERT per table per batch of the same size, one transaction per batch.",
    "",
    "## Page (server time of the page's queries)",
    "",
    `Range: ${report.results.page.range.days} days (${report.results.page.range.start.slice(0, 10)} to ${report.results.page.range.end.slice(0, 10)}), page size ${report.results.page.pageSize}, ${report.results.page.reps} timed rounds per variant. Each timing is getActivityPage + countActivity side by side, as the page runs them, through withTenant (RLS, role activity_app).`,
    "",
    pageTable(report.results.page),
    "",
    "## Export",
    "",
    exportText(report.results.export),
    "",
    "## Ingestion",
    "",
    ingestText(report.results.ingest),
    "",
    "## Partner Center sync",
    "",
    syncText(report.results.sync),
    "",
    "## Log streaming",
    "",
    `${report.results.stream.records.toLocaleString("en-US")} records stored in ${report.results.stream.ingestSeconds.toFixed(2)} s, all received by the webhook after ${report.results.stream.deliverSeconds.toFixed(2)} s; lag median ${report.results.stream.lagMs.median.toFixed(0)} ms, p95 ${report.results.stream.lagMs.p95.toFixed(0)} ms, max ${report.results.stream.maxLagMs.toFixed(0)} ms; ${report.results.stream.rejected} request(s) refused by the receiver's signature check.`,
    "",
  ].join("\n");
}

export function writeReport(report: BenchReport, outDir: string): { json: string; markdown: string } {
  mkdirSync(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, "-");
  const base = path.join(outDir, `${stamp}-${report.mode}`);
  const json = `${base}.json`;
  const markdown = `${base}.md`;
  writeFileSync(json, JSON.stringify(report, null, 2) + "\n");
  writeFileSync(markdown, renderMarkdown(report));
  copyFileSync(json, path.join(outDir, "latest.json"));
  copyFileSync(markdown, path.join(outDir, "latest.md"));
  return { json, markdown };
}

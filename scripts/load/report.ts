import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { MachineInfo } from "../harness/machine";
import { formatBytes } from "../harness/util";
import type { LoadConfig } from "./config";
import {
  latency,
  PAGE_KINDS,
  type ErrorSample,
  type LatencySummary,
  type PageKind,
  type Phase,
  type Recorder,
} from "./stats";
import type { SystemUsage } from "./system";

/* The load test's report: per phase, the goal's verdict, and the same as Markdown. */

export const LOAD_REPORT_SCHEMA = "activity-log-load/1";

export interface Segment {
  phase: Phase;
  seconds: number;
}

export interface SegmentResult extends Segment {
  /** 0-based, as in the samples (shown 1-based). */
  index: number;
  /** Wall seconds the page traffic ran (the window). */
  windowSeconds: number;
  /** Seconds after the window until the exports in flight had been read to their end (B only). */
  drainSeconds: number;
  requests: number;
  errors: number;
  pages: LatencySummary;
  usage: SystemUsage;
}

export interface PhaseResult {
  phase: Phase;
  description: string;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  errors: number;
  pages: LatencySummary;
  byKind: Record<PageKind, LatencySummary & { errors: number }>;
  exports: {
    /** Exports started in this phase's windows, all read to their end. */
    count: number;
    ok: number;
    rows: number;
    /** Export rows received while the phase's windows were open, per second of window. */
    rowsPerSecond: number;
    /** One export's rows / its own seconds: median over the completed exports. */
    medianExportRowsPerSecond: number | null;
    medianExportSeconds: number | null;
  };
  usage: Omit<SystemUsage, "serverRssPeakBytes"> & { serverRssPeakBytes: number | null };
}

export interface LoadReport {
  schema: string;
  mode: LoadConfig["mode"];
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  command: string;
  pass: boolean;
  /** Neighbours took too much of the machine to judge the ratio (exit code 3). */
  inconclusive: boolean;
  verdict: string[];
  goal: { maxP99Ratio: number; maxErrors: number };
  /** B / A over all samples of each phase, pooled over its segments. */
  ratio: { p99: number; p95: number; p50: number };
  /**
   * Each B segment against the A segments on either side of it; the goal is their median, so one
   * segment disturbed by something else (a neighbour's job, a collection) cannot decide the run.
   */
  cycles: CycleRatio[];
  /** The median of the cycles' p99 ratios: what the goal is checked against. */
  p99RatioMedian: number;
  /** The machine's CPU was (nearly) all busy in phase A: pages queued without exports. */
  saturatedA: boolean;
  errors: { total: number; warmup: number; A: number; B: number; first: ErrorSample[] };
  phases: { A: PhaseResult; B: PhaseResult };
  segments: SegmentResult[];
  machine: MachineInfo;
  loadAverageAtEnd: number[];
  dataset: {
    tenants: Array<{ name: string; records: number }>;
    spanDays: number;
    anchor: string;
    sizeBytes: number;
    reused: boolean;
    loadSeconds: number | null;
    postgres: { load: Record<string, string>; run: Record<string, string> };
  };
  settings: {
    users: number;
    exporters: number;
    warmupSeconds: number;
    thinkMs: { min: number; max: number };
    order: string;
    accounts: Record<string, number>;
    exporterAccounts: string[];
    exports: Array<{ tenant: string; query: string; rows: number }>;
    app: { buildId: string; buildStale: boolean; distDir: string; env: Record<string, string> };
  };
}

export interface CycleRatio {
  /** The B segment (0-based index) and the A segments beside it. */
  b: number;
  a: number[];
  p99B: number;
  p99A: number;
  ratio: number;
}

/** For each B segment: its p99 over the p99 of the A segments just before and after it, pooled. */
export function cycleRatios(recorder: Recorder, segments: SegmentResult[]): CycleRatio[] {
  const samples = (indexes: number[]) => recorder.pages.filter((p) => indexes.includes(p.segment)).map((p) => p.ms);
  return segments
    .filter((s) => s.phase === "B")
    .map((b) => {
      const a = segments.filter((s) => s.phase === "A" && Math.abs(s.index - b.index) === 1).map((s) => s.index);
      const p99B = latency(samples([b.index])).p99;
      const p99A = latency(samples(a)).p99;
      return { b: b.index, a, p99B, p99A, ratio: p99B / p99A };
    });
}

/** The middle value (the mean of the two middle ones for an even count). */
export function medianOf(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  // Not empty, so mid (and mid - 1 for an even count) are indices of sorted.
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const median = (values: number[]) => (values.length === 0 ? null : latency(values).p50);

export function phaseResult(phase: Phase, recorder: Recorder, segments: SegmentResult[]): PhaseResult {
  const mine = segments.filter((s) => s.phase === phase);
  const ids = new Set(mine.map((s) => s.index));
  const seconds = mine.reduce((n, s) => n + s.windowSeconds, 0);
  const pages = recorder.pages.filter((p) => p.phase === phase);
  const exports = recorder.exports.filter((e) => e.phase === phase);
  const completed = exports.filter((e) => e.ok);
  const windowRows = [...ids].reduce((n, id) => n + (recorder.exportRowsInWindow.get(id) ?? 0), 0);
  const weighted = (pick: (u: SystemUsage) => number | null) => {
    const parts = mine.map((s) => ({ v: pick(s.usage), w: s.windowSeconds + s.drainSeconds }));
    if (parts.some((p) => p.v === null)) return null;
    const w = parts.reduce((n, p) => n + p.w, 0);
    return w > 0 ? parts.reduce((n, p) => n + p.v! * p.w, 0) / w : null;
  };
  const rss = mine.map((s) => s.usage.serverRssPeakBytes).filter((v): v is number => v !== null);
  return {
    phase,
    description: phase === "A" ? "pages only" : "pages with exports running",
    seconds,
    requests: pages.length,
    requestsPerSecond: seconds > 0 ? pages.length / seconds : 0,
    errors: recorder.errors.filter((e) => e.phase === phase).length,
    pages: latency(pages.map((p) => p.ms)),
    byKind: Object.fromEntries(
      PAGE_KINDS.map((kind) => {
        const of = pages.filter((p) => p.kind === kind);
        return [kind, { ...latency(of.map((p) => p.ms)), errors: of.filter((p) => !p.ok).length }];
      }),
    ) as PhaseResult["byKind"],
    exports: {
      count: exports.length,
      ok: completed.length,
      rows: exports.reduce((n, e) => n + e.rows, 0),
      rowsPerSecond: seconds > 0 ? windowRows / seconds : 0,
      medianExportRowsPerSecond: median(completed.map((e) => e.rows / e.seconds)),
      medianExportSeconds: median(completed.map((e) => e.seconds)),
    },
    usage: {
      serverCpuCores: weighted((u) => u.serverCpuCores),
      runCpuCores: weighted((u) => u.runCpuCores),
      generatorCpuCores: weighted((u) => u.generatorCpuCores),
      machineCpuCores: weighted((u) => u.machineCpuCores),
      serverRssPeakBytes: rss.length > 0 ? Math.max(...rss) : null,
    },
  };
}

const ms = (v: number) =>
  Number.isFinite(v) ? `${v >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(1)} ms` : "-";
const int = (v: number) => Math.round(v).toLocaleString("en-US");
const cores = (v: number | null) => (v === null ? "-" : v.toFixed(2));
/** "Next / load generator / this run in all / everything else", in cores. */
const cpu = (u: Omit<SystemUsage, "serverRssPeakBytes">) =>
  `${cores(u.serverCpuCores)} / ${cores(u.generatorCpuCores)} / ${cores(u.runCpuCores)} / ${u.machineCpuCores === null || u.runCpuCores === null ? "-" : cores(Math.max(0, u.machineCpuCores - u.runCpuCores))}`;
const ratioText = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "-");

const KIND_LABELS: Record<PageKind, string> = {
  "log.first": "Activity log, first page (default range)",
  "log.filtered": "Activity log, filtered (status / action / customer)",
  "log.next": "Activity log, next page (cursor link)",
  "log.details": "Expanded row: details API",
  customers: "Customers",
  subscriptions: "A customer's Subscriptions",
};

export function renderMarkdown(r: LoadReport): string {
  const { A, B } = r.phases;
  const m = r.machine;
  const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`;
  const lines: string[] = [
    `# Activity log load test (${r.mode})`,
    "",
    `${r.startedAt} to ${r.finishedAt} (${Math.round(r.durationSeconds)} s). **${r.pass ? "PASS" : r.inconclusive ? "INCONCLUSIVE" : "FAIL"}**: ${r.verdict.join("; ")}.`,
    "",
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${gib(m.memoryBytes)} RAM, ${m.os} (${m.kernel}); Node ${m.node}; ${m.postgres}; Next ${m.next}; commit ${m.gitCommit}; load average at start ${m.loadAverageAtStart.join(" / ")}, at end ${r.loadAverageAtEnd.join(" / ")}.`,
    "",
    `Load: ${r.settings.users} virtual users browsing (think time ${r.settings.thinkMs.min}-${r.settings.thinkMs.max} ms), ${r.settings.exporters} concurrent export loops in phase B; ${A.seconds.toFixed(0)} s of phase A and ${B.seconds.toFixed(0)} s of phase B, in the order ${r.settings.order}, after ${r.settings.warmupSeconds} s of warm-up. Data: ${r.dataset.tenants.map((t) => `${t.name} ${int(t.records)}`).join(", ")} records over ${r.dataset.spanDays} days (${formatBytes(r.dataset.sizeBytes)}); exports of ${r.settings.exports.map((e) => `${int(e.rows)} rows (${e.tenant})`).join(" and ")}.`,
    "",
    "## Result",
    "",
    "| Phase | Seconds | Requests (per s) | Errors | p50 | p95 | p99 | Exports (ok) | Export rows/s, all exports | Rows/s of one export (median) | CPU cores: Next / load generator / this run / others |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const p of [A, B]) {
    lines.push(
      `| ${p.phase}: ${p.description} | ${p.seconds.toFixed(0)} | ${int(p.requests)} (${p.requestsPerSecond.toFixed(1)}) | ${p.errors} | ${ms(p.pages.p50)} | ${ms(p.pages.p95)} | ${ms(p.pages.p99)} | ${p.phase === "A" ? "-" : `${p.exports.count} (${p.exports.ok})`} | ${p.phase === "A" ? "-" : int(p.exports.rowsPerSecond)} | ${p.exports.medianExportRowsPerSecond === null ? "-" : int(p.exports.medianExportRowsPerSecond)} | ${cpu(p.usage)} |`,
    );
  }
  lines.push(
    "",
    `| Goal | Measured | Target | Result |`,
    `| --- | ---: | ---: | --- |`,
    `| p99 page latency, B / A: median over ${r.cycles.length} cycle(s) (${r.cycles.map((c) => ratioText(c.ratio)).join(", ")}) | ${ratioText(r.p99RatioMedian)} | <= ${r.goal.maxP99Ratio} | ${r.p99RatioMedian <= r.goal.maxP99Ratio ? "PASS" : "FAIL"} |`,
    `| Errors (warm-up ${r.errors.warmup}, A ${r.errors.A}, B ${r.errors.B}) | ${r.errors.total} | ${r.goal.maxErrors} | ${r.errors.total <= r.goal.maxErrors ? "PASS" : "FAIL"} |`,
    "",
    `For reference, over each phase's samples pooled: p99 B / A ${ratioText(r.ratio.p99)} (${ms(B.pages.p99)} / ${ms(A.pages.p99)}), p95 ${ratioText(r.ratio.p95)}, p50 ${ratioText(r.ratio.p50)}.`,
    "",
    "| Cycle | B segment | A segments beside it | p99 B | p99 A | B / A |",
    "| ---: | ---: | --- | ---: | ---: | ---: |",
    ...r.cycles.map(
      (c, i) =>
        `| ${i + 1} | #${c.b + 1} | ${c.a.map((a) => `#${a + 1}`).join(", ")} | ${ms(c.p99B)} | ${ms(c.p99A)} | ${ratioText(c.ratio)} |`,
    ),
    "",
    "## Pages by kind",
    "",
    "| Page | A: n | A: p50 | A: p99 | B: n | B: p50 | B: p99 | B / A p99 |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const kind of PAGE_KINDS) {
    const a = A.byKind[kind];
    const b = B.byKind[kind];
    lines.push(
      `| ${KIND_LABELS[kind]} | ${int(a.n)} | ${ms(a.p50)} | ${ms(a.p99)} | ${int(b.n)} | ${ms(b.p50)} | ${ms(b.p99)} | ${ratioText(b.p99 / a.p99)} |`,
    );
  }
  lines.push(
    "",
    "## Segments (in the order they ran)",
    "",
    "| # | Phase | Window s | Drain s | Requests | Errors | p50 | p99 | CPU cores: Next / load generator / this run / others | Next RSS peak |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const s of r.segments) {
    lines.push(
      `| ${s.index + 1} | ${s.phase} | ${s.windowSeconds.toFixed(1)} | ${s.drainSeconds.toFixed(1)} | ${int(s.requests)} | ${s.errors} | ${ms(s.pages.p50)} | ${ms(s.pages.p99)} | ${cpu(s.usage)} | ${s.usage.serverRssPeakBytes === null ? "-" : formatBytes(s.usage.serverRssPeakBytes)} |`,
    );
  }
  if (B.exports.medianExportSeconds !== null) {
    lines.push(
      "",
      `Exports in B: ${B.exports.count} started, ${B.exports.ok} complete and verified (row count, header, last line end), ${int(B.exports.rows)} rows; one export took ${B.exports.medianExportSeconds.toFixed(1)} s (median).`,
    );
  }
  if (r.errors.first.length > 0) {
    lines.push("", "## Errors (first ones)", "");
    for (const e of r.errors.first) lines.push(`- [${e.phase}, ${(e.at / 1000).toFixed(1)} s] ${e.what}: ${e.message}`);
  }
  lines.push(
    "",
    "How: page latency is the time from sending the request to the last byte of the body (the activity log streams its results into the same response), for every step of the browsing loop, the details API included. A request counts as an error when its status is not the expected one (redirects included), it fails or times out (30 s), or the page lacks what it must show; an export counts as one when its status is not 200 or its file does not hold exactly the range's rows, header first and ending with a line end. Percentiles are nearest-rank over all requests of a phase. CPU: the Next server process; the load generator (this process); this run's whole process tree (load generator, app, OIDC authority, embedded PostgreSQL); others = the machine's busy CPU minus this run's (other jobs on a shared machine), averaged over each segment including its drain.",
    "",
  );
  return lines.join("\n");
}

export function writeReport(report: LoadReport, outDir: string): { json: string; markdown: string } {
  mkdirSync(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, "-");
  const base = path.join(outDir, `load-${stamp}${report.mode === "quick" ? "-quick" : ""}`);
  const json = `${base}.json`;
  const markdown = `${base}.md`;
  writeFileSync(json, JSON.stringify(report, null, 2) + "\n");
  writeFileSync(markdown, renderMarkdown(report));
  copyFileSync(json, path.join(outDir, "load-latest.json"));
  copyFileSync(markdown, path.join(outDir, "load-latest.md"));
  return { json, markdown };
}

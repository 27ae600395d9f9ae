import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { METRIC_IDS, REPORT_SCHEMA, type BenchReport } from "@/scripts/bench/report";
import { at } from "../support/present";

/*
 * `npm run bench -- --quick` end to end, as a user runs it: it builds its own data set in an
 * embedded PostgreSQL, starts the real app, measures, writes JSON and Markdown, and cleans up.
 * This checks that the bench RUNS and its report is complete, never its numbers (a shared,
 * noisy machine decides those). The quick mode takes about a minute alone; the timeout is
 * generous for a busy machine, and for the one-off `next build` it runs when there is no build.
 */

const TIMEOUT_MS = 15 * 60_000;

describe("npm run bench -- --quick", () => {
  let child: ChildProcess | undefined;
  const out = mkdtempSync(path.join(os.tmpdir(), "activity-log-bench-test-"));

  afterAll(() => {
    // A timed-out run still gets to stop its app and database (the bench handles SIGINT).
    if (child && child.exitCode === null) child.kill("SIGINT");
    rmSync(out, { recursive: true, force: true });
  });

  it(
    "runs the quick mode and writes a well-formed report with every metric",
    async () => {
      const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
      delete env.DATABASE_URL; // the bench's own embedded database, never a test's
      const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
      let output = "";
      const code = await new Promise<number | null>((resolve, reject) => {
        child = spawn(tsx, ["scripts/bench.ts", "--quick", "--out", out], {
          cwd: process.cwd(),
          env,
          stdio: ["ignore", "pipe", "pipe"],
        });
        child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
        child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
        child.on("error", reject);
        child.on("exit", (exitCode) => resolve(exitCode));
      });
      expect(code, output.slice(-4000)).toBe(0);

      const files = readdirSync(out);
      const stamped = files.filter((f) => /^\d{4}-\d{2}-\d{2}T.*-quick\.(json|md)$/.test(f));
      expect(stamped.map((f) => path.extname(f)).sort()).toEqual([".json", ".md"]);
      expect(files).toEqual(expect.arrayContaining(["latest.json", "latest.md"]));

      const report = JSON.parse(readFileSync(path.join(out, "latest.json"), "utf8")) as BenchReport;
      expect(report.schema).toBe(REPORT_SCHEMA);
      expect(report.mode).toBe("quick");
      expect(report.dataset.records).toBe(400_000);
      expect(report.machine.cores).toBeGreaterThan(0);
      expect(report.machine.memoryBytes).toBeGreaterThan(0);
      for (const field of ["cpuModel", "postgres", "node", "psql"] as const) expect(report.machine[field]).not.toBe("");

      // Every metric, once, in order, with numbers where numbers belong.
      expect(report.metrics.map((m) => m.id)).toEqual([...METRIC_IDS]);
      for (const m of report.metrics) {
        expect(Number.isFinite(m.a.value), m.id).toBe(true);
        if (m.b) {
          expect(Number.isFinite(m.b.value), m.id).toBe(true);
          expect(Number.isFinite(m.ratio), m.id).toBe(true);
        }
        if (m.goal) expect(typeof m.pass, m.id).toBe("boolean");
        else expect(m.pass, m.id).toBeNull();
      }
      expect(report.summary.goals).toBe(report.metrics.filter((m) => m.goal).length);
      expect(report.summary.met + report.summary.missed.length).toBe(report.summary.goals);

      // The absolute numbers behind the ratios are there too.
      expect(Object.keys(report.results.page.variants).length).toBeGreaterThan(0);
      expect(report.results.export.route.length).toBeGreaterThan(0);
      expect(report.results.export.psql.length).toBeGreaterThan(0);
      expect(at(report.results.export.route, 0, "the first export run").rows).toBe(report.results.export.expectedRows);
      expect(at(report.results.ingest.runs, 0, "the first ingest run").api.sealedRows).toBe(
        report.results.ingest.records,
      );

      const markdown = readFileSync(path.join(out, "latest.md"), "utf8");
      expect(markdown).toMatch(/^# Activity log benchmark \(quick\)/);
      expect(markdown).toContain("| Metric | A | B | A/B | Goal | Result |");
      for (const m of report.metrics) expect(markdown).toContain(m.label.replace(/\|/g, "\\|"));
      // The stamped pair is this run's report (named after its start), and latest.* are copies of it.
      const base = `${report.startedAt.replace(/[:.]/g, "-")}-quick`;
      expect(stamped.sort()).toEqual([`${base}.json`, `${base}.md`]);
      expect(readFileSync(path.join(out, `${base}.json`), "utf8")).toBe(
        readFileSync(path.join(out, "latest.json"), "utf8"),
      );
      expect(readFileSync(path.join(out, `${base}.md`), "utf8")).toBe(markdown);
    },
    TIMEOUT_MS,
  );
});

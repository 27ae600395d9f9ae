/*
 * What a load run does: the data set, how many virtual users, how long, and the goal.
 * Two presets: the full run (50 browsing users + 5 exporters, 60 s per phase) and `--quick`
 * (10 users + 1 exporter, 10 s per phase) for trying it out. `--seconds`, `--users`,
 * `--exports` and `--think` override either preset.
 */

export type LoadMode = "full" | "quick";

export interface LoadConfig {
  mode: LoadMode;
  dataset: {
    spanDays: number;
    /** Demo tenants (by name) and their records, spread evenly over the span. */
    tenants: Array<{ name: string; records: number }>;
  };
  /** Virtual users browsing pages, each with a session of its own. */
  users: number;
  /** Concurrent export loops in phase B (each its own session too). */
  exports: number;
  /** Measured seconds of each phase (A: pages only; B: pages with exports running). */
  seconds: number;
  /** Untimed seconds of both kinds of traffic first: JIT, caches, pools. */
  warmupSeconds: number;
  /** Think time between a user's steps: uniform in [min, max] ms. */
  thinkMs: { min: number; max: number };
  /** Days of the export's range, ending yesterday: a few hundred thousand rows. */
  exportDays: number;
  /** B segments, each between two A segments (A B A B ... A); the goal is the median of their ratios. */
  cycles: number;
  goal: { maxP99Ratio: number; maxErrors: number };
}

const DATASET: LoadConfig["dataset"] = {
  // The demo data's six months.
  spanDays: 182,
  tenants: [
    { name: "Contoso Partners", records: 300_000 },
    { name: "Fabrikam Cloud Solutions", records: 200_000 },
  ],
};

/*
 * Think time before each step: 1-5 s, a quick reader. Much shorter (0.2-1 s was tried) and 50 users
 * ask for more pages than a 2-core machine serves: phase A then queues already (p50 above a
 * second), and the B/A ratio shows little more than the share of throughput the exports take.
 * The ratio only says how much exports slow pages down when A itself is not saturated; the report
 * warns when it was.
 */
const THINK_MS = { min: 1_000, max: 5_000 };

/** p99 of pages with exports running at most this many times the p99 without. */
const GOAL_P99_RATIO = 1.5;

export function loadConfig(
  mode: LoadMode,
  overrides: {
    seconds?: number;
    users?: number;
    exports?: number;
    thinkMs?: { min: number; max: number };
    cycles?: number;
  } = {},
): LoadConfig {
  const base: LoadConfig =
    mode === "quick"
      ? {
          mode,
          dataset: DATASET,
          users: 10,
          exports: 1,
          seconds: 10,
          warmupSeconds: 5,
          thinkMs: THINK_MS,
          exportDays: 181,
          cycles: 1,
          goal: { maxP99Ratio: GOAL_P99_RATIO, maxErrors: 0 },
        }
      : {
          mode,
          dataset: DATASET,
          users: 50,
          exports: 5,
          seconds: 60,
          warmupSeconds: 15,
          thinkMs: THINK_MS,
          exportDays: 181,
          cycles: 3,
          goal: { maxP99Ratio: GOAL_P99_RATIO, maxErrors: 0 },
        };
  return {
    ...base,
    users: overrides.users ?? base.users,
    exports: overrides.exports ?? base.exports,
    seconds: overrides.seconds ?? base.seconds,
    thinkMs: overrides.thinkMs ?? base.thinkMs,
    cycles: overrides.cycles ?? base.cycles,
  };
}

import { createHash } from "node:crypto";

/*
 * What a bench run does: the data set it builds and how hard it measures. Two presets:
 * the full run (20 M records over 20 tenants, one holding 10 M) and `--quick` (300 k records,
 * under 3 minutes, used by tests/integration/bench-quick.test.ts). Both produce the same metrics
 * under the same ids, so reports of either kind can be compared.
 */

export type BenchMode = "quick" | "full";

/** A tenant of the data set: loaded with `records` rows spread evenly over the span. */
export interface TenantPlan {
  key: string;
  /** Its role in the measurements. */
  role: "big" | "mid" | "small" | "other" | "lean";
  name: string;
  records: number;
  /** False: records without details rows (the export's lean case). */
  details?: false;
}

export interface DatasetPlan {
  seed: number;
  /** Days of history, ending at the data set's anchor (midnight UTC of the day it was built). */
  spanDays: number;
  customersPerTenant: number;
  tenants: TenantPlan[];
}

export interface BenchConfig {
  mode: BenchMode;
  dataset: DatasetPlan;
  page: {
    /** The page size of the measured pages (the page's default). */
    size: number;
    /** Pages deep for the "page at depth" comparison. */
    depth: number;
    /** Days of the page's range: the page's default is the most recent month. */
    rangeDays: number;
    /** Timed repetitions of each variant (interleaved), after `warmup` untimed ones. */
    reps: number;
    warmup: number;
  };
  export: {
    /** Rows of the big tenant in the exported range (the range is chosen to hold exactly this). */
    rows: number;
    /** Timed runs of each side (route, psql), interleaved. */
    reps: number;
  };
  ingest: {
    records: number;
    batchSize: number;
    /** Requests in flight at once (1: one producer sending batch after batch). */
    concurrency: number;
    /** Runs of each side, alternating which goes first (each on fresh tenants). */
    reps: number;
  };
  sync: {
    /** Partner Center records per day in the stand-in: the sync reads 90 days of them. */
    recordsPerDay: number;
    /** Runs of each side (sync, file import), alternating which goes first, on fresh tenants. */
    reps: number;
  };
}

const SPAN_DAYS = 200;

/*
 * The lean tenant holds exactly the exported row count over the whole span, with no details: the
 * export of records alone, measured apart from the export of records with their details.
 */
function tenants(big: number, mid: number, small: number, others: number[], lean: number): TenantPlan[] {
  return [
    { key: "lean", role: "lean", name: "Bench Lean Partner", records: lean, details: false },
    { key: "big", role: "big", name: "Bench Big Partner", records: big },
    { key: "mid", role: "mid", name: "Bench Mid Partner", records: mid },
    { key: "small", role: "small", name: "Bench Small Partner", records: small },
    ...others.map((records, i) => ({
      key: `other-${i + 1}`,
      role: "other" as const,
      name: `Bench Partner ${i + 1}`,
      records,
    })),
  ];
}

/** `total` records over `count` tenants: the big, mid and small ones, the rest shared evenly. */
function spread(total: number, count: number, big: number, mid: number, small: number): number[] {
  const rest = total - big - mid - small;
  const n = count - 3;
  if (n < 1 || rest < n) throw new Error("the data set plan leaves nothing for the other tenants");
  const each = Math.floor(rest / n);
  return Array.from({ length: n }, (_, i) => each + (i < rest - each * n ? 1 : 0));
}

export function benchConfig(mode: BenchMode, overrides: { ingestConcurrency?: number } = {}): BenchConfig {
  if (mode === "quick") {
    return {
      mode,
      dataset: {
        seed: 7007,
        spanDays: SPAN_DAYS,
        customersPerTenant: 40,
        tenants: tenants(200_000, 50_000, 10_000, spread(300_000, 4, 200_000, 50_000, 10_000), 100_000),
      },
      // 90 days: the filtered (status = failed) walk needs depth x size matching rows in range.
      page: { size: 25, depth: 100, rangeDays: 90, reps: 30, warmup: 5 },
      export: { rows: 100_000, reps: 1 },
      // Three runs (alternating which side goes first): one run of 5 k records is ten requests, and
      // the median of three is what a shared machine's noise does not decide alone.
      ingest: { records: 5_000, batchSize: 500, concurrency: overrides.ingestConcurrency ?? 1, reps: 3 },
      sync: { recordsPerDay: 40, reps: 1 },
    };
  }
  return {
    mode,
    dataset: {
      seed: 7007,
      spanDays: SPAN_DAYS,
      customersPerTenant: 40,
      tenants: tenants(10_000_000, 1_000_000, 10_000, spread(20_000_000, 20, 10_000_000, 1_000_000, 10_000), 1_000_000),
    },
    page: { size: 25, depth: 1_000, rangeDays: 30, reps: 200, warmup: 20 },
    export: { rows: 1_000_000, reps: 2 },
    ingest: { records: 50_000, batchSize: 500, concurrency: overrides.ingestConcurrency ?? 1, reps: 2 },
    sync: { recordsPerDay: 556, reps: 2 },
  };
}

export const totalRecords = (plan: DatasetPlan) => plan.tenants.reduce((n, t) => n + t.records, 0);

/** Identifies a data set's contents, so a kept one is reused only for the same plan. */
export function datasetHash(plan: DatasetPlan): string {
  return createHash("sha256")
    .update(JSON.stringify({ v: 3, plan }))
    .digest("hex")
    .slice(0, 12);
}

export function tenantByRole(plan: DatasetPlan, role: TenantPlan["role"]): TenantPlan {
  const found = plan.tenants.find((t) => t.role === role);
  if (!found) throw new Error(`the data set has no ${role} tenant`);
  return found;
}

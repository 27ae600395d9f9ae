import { describe, expect, it } from "vitest";
import { percentile } from "../../scripts/harness/stats";
import { summarize } from "../../scripts/harness/util";
import { latency } from "../../scripts/load/stats";

describe("the harness's one percentile (nearest rank)", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it("answers a measured sample, never one in between", () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 0.95)).toBe(95);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it("is what both the bench's summaries and the load test's latencies report", () => {
    const shuffled = [...hundred].reverse();
    expect(summarize(shuffled)).toMatchObject({ median: 50, p95: 95, min: 1, max: 100 });
    expect(latency(shuffled)).toMatchObject({ p50: 50, p95: 95, p99: 99, max: 100 });
  });
});

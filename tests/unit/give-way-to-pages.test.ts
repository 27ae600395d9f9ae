import { afterEach, describe, expect, it } from "vitest";
import {
  BATCH_COST_PER_FORMATTING_MS,
  EXPORT_SHARE,
  MAX_HOLD_MS,
  exportTurn,
  exportWorked,
  requestsInFlightCounter,
} from "@/lib/export/give-way-to-pages";

const elapsed = async (fn: () => Promise<void>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

describe("exports give way to pages", () => {
  const counter = requestsInFlightCounter();
  afterEach(() => {
    counter.count = 0;
  });

  it("never waits while no other request is in flight", async () => {
    exportWorked(200);
    expect(await elapsed(() => exportTurn())).toBeLessThan(20);
  });

  it("holds exports at most MAX_HOLD_MS for work booked before the pages came", async () => {
    exportWorked(10_000);
    counter.count = 1;
    const waited = await elapsed(() => exportTurn());
    expect(waited).toBeGreaterThanOrEqual(MAX_HOLD_MS - 30);
    expect(waited).toBeLessThan(MAX_HOLD_MS + 100);
  });

  it("holds the next batch for the pages' share of the time after one", async () => {
    counter.count = 2;
    const work = 5;
    exportWorked(work);
    const waited = await elapsed(() => exportTurn());
    const owed = (work * BATCH_COST_PER_FORMATTING_MS * (1 - EXPORT_SHARE)) / EXPORT_SHARE;
    expect(waited).toBeGreaterThanOrEqual(owed - 2);
    expect(waited).toBeLessThan(owed + 60);
  });

  it("adds up the work of every export (one budget for all of them)", async () => {
    counter.count = 1;
    exportWorked(3);
    exportWorked(3);
    const waited = await elapsed(() => exportTurn());
    expect(waited).toBeGreaterThanOrEqual((6 * BATCH_COST_PER_FORMATTING_MS * (1 - EXPORT_SHARE)) / EXPORT_SHARE - 2);
  });

  it("goes on soon after the pages are done", async () => {
    counter.count = 1;
    exportWorked(1000); // would hold exports for two seconds
    setTimeout(() => (counter.count = 0), 30);
    expect(await elapsed(() => exportTurn())).toBeLessThan(200);
  });
});

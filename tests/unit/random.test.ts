import { describe, expect, it } from "vitest";
import { seededRandom, shuffled, stableUuid } from "@/db/seed/random";

describe("seeded randomness", () => {
  it("repeats for a seed and differs across seeds", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("shuffles without losing or inventing items", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const out = shuffled(seededRandom(1), items);
    expect(out).not.toEqual(items);
    expect([...out].sort((x, y) => x - y)).toEqual(items);
  });

  it("makes stable, well-formed UUIDs", () => {
    const id = stableUuid(1, "tenant", "customer", 3);
    expect(id).toBe(stableUuid(1, "tenant", "customer", 3));
    expect(id).not.toBe(stableUuid(1, "tenant", "customer", 4));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

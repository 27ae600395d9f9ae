import { createHash } from "node:crypto";

/** Mulberry32: a tiny seeded generator, so the same seed always gives the same demo data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new Error("Cannot pick from an empty list.");
  // random() is below 1, so the index is below items.length.
  return items[Math.floor(random() * items.length)]!;
}

export function intBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Fisher-Yates on a copy. */
export function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    // 0 <= j <= i < out.length: both are items.
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A name-based UUID (version 5 layout over SHA-1): stable ids for stable seeds. */
export function stableUuid(...parts: Array<string | number>): string {
  const digest = createHash("sha1").update(parts.join("\u0000")).digest("hex").slice(0, 32);
  const hex = digest.split("");
  hex[12] = "5";
  hex[16] = ((parseInt(digest.charAt(16), 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

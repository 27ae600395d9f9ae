/* Small helpers shared by the bench and the load test: logging, timing and summary statistics. */

import { percentile } from "./stats";

export type Log = (line: string) => void;

/** Seconds since a performance.now() reading. */
export const seconds = (since: number) => (performance.now() - since) / 1000;

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1),
  };
}

/** The summary of one variant's samples, by the key it was timed under. */
export function summaryOf(samples: Readonly<Record<string, number[]>>, key: string): Summary {
  const times = samples[key];
  if (!times) throw new Error(`No samples were taken for ${key}.`);
  return summarize(times);
}

/** Milliseconds an async call takes. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * Times several variants side by side: each round runs every variant once, in an order that
 * rotates from round to round, so drift and noise of a busy machine fall on all of them alike.
 */
export async function interleaved<K extends string>(
  variants: Record<K, () => Promise<unknown>>,
  { reps, warmup }: { reps: number; warmup: number },
): Promise<Record<K, number[]>> {
  const keys = Object.keys(variants) as K[];
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < warmup + reps; round++) {
    const start = round % keys.length;
    for (const key of [...keys.slice(start), ...keys.slice(0, start)]) {
      const ms = await timeMs(variants[key]);
      if (round >= warmup) samples[key].push(ms);
    }
  }
  return samples;
}

export const round = (value: number, digits = 3) => {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const formatBytes = (bytes: number) =>
  bytes >= 1024 ** 3
    ? `${(bytes / 1024 ** 3).toFixed(2)} GiB`
    : bytes >= 1024 ** 2
      ? `${(bytes / 1024 ** 2).toFixed(1)} MiB`
      : `${(bytes / 1024).toFixed(1)} KiB`;

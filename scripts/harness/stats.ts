/*
 * The one percentile the bench and the load test report: nearest rank (the smallest sample with
 * at least q of the samples at or below it), so every reported figure is a time that was measured.
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

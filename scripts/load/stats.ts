/*
 * What the virtual users record: one sample per request (pages and the details API), one per
 * export, and the errors. Percentiles are the harness's one definition (nearest rank).
 */

import { percentile } from "../harness/stats";

export type Phase = "A" | "B";

/** The steps of a browsing loop; every one is a "page" for the latency goal. */
export const PAGE_KINDS = [
  "log.first",
  "log.filtered",
  "log.next",
  "log.details",
  "customers",
  "subscriptions",
] as const;
export type PageKind = (typeof PAGE_KINDS)[number];

export interface PageSample {
  kind: PageKind;
  phase: Phase;
  segment: number;
  /** ms since the run's clock started, when the request was sent. */
  at: number;
  ms: number;
  ok: boolean;
}

export interface ExportSample {
  phase: Phase | "warmup";
  segment: number;
  at: number;
  seconds: number;
  rows: number;
  expectedRows: number;
  bytes: number;
  ok: boolean;
}

export interface ErrorSample {
  phase: Phase | "warmup";
  segment: number;
  at: number;
  what: string;
  message: string;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function latency(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1),
  };
}

export class Recorder {
  readonly pages: PageSample[] = [];
  readonly exports: ExportSample[] = [];
  readonly errors: ErrorSample[] = [];
  /** Export rows received while a measured B segment was open (for the aggregate rate). */
  readonly exportRowsInWindow = new Map<number, number>();
  private readonly t0 = performance.now();

  now(): number {
    return performance.now() - this.t0;
  }
}

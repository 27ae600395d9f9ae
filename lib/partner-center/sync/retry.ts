/*
 * How the sync waits between attempts. Transient failures (5xx, timeouts, resets) back off
 * exponentially with full jitter up to a cap, so many instances hitting one throttled API spread
 * out; a 429 waits what its Retry-After asks (capped, so a broken header cannot stall a run).
 */

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  attempts: number;
  baseMs: number;
  capMs: number;
  /** One request's time limit. */
  timeoutMs: number;
  /** The longest Retry-After honoured; longer ones are cut to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  baseMs: 1_000,
  capMs: 60_000,
  timeoutMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** Full jitter: a uniform wait in [0, min(cap, base * 2^(attempt-1))]. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, policy: RetryPolicy, now = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(0, ms), policy.maxRetryAfterMs);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

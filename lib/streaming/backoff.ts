/*
 * Retry timing for a failing destination: capped exponential back-off with jitter, so receivers
 * coming back from an outage are not hit by every destination at the same instant.
 */

export interface RetryPolicy {
  /** The first retry's delay. */
  baseMs: number;
  /** No wait grows beyond this. */
  capMs: number;
  /** After this many failures in a row the destination pauses (a person resumes it). */
  maxFailures: number;
}

/**
 * Defaults: 1 s doubling to 15 minutes, paused after 100 failures in a row, about a day of
 * trying, like the Standard Webhooks retry schedule. STREAM_RETRY_BASE_MS, STREAM_RETRY_CAP_MS
 * and STREAM_MAX_FAILURES change them.
 */
export function retryPolicy(env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  const number = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return value !== undefined && value !== "" && Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return {
    baseMs: number(env.STREAM_RETRY_BASE_MS, 1000),
    capMs: number(env.STREAM_RETRY_CAP_MS, 15 * 60_000),
    maxFailures: Math.trunc(number(env.STREAM_MAX_FAILURES, 100)),
  };
}

/**
 * The wait before the next attempt after the `failures`-th failure in a row: the exponential
 * delay, capped, then a random 50-100 % of it. A receiver's Retry-After, if longer, wins.
 */
export function retryDelayMs(failures: number, policy: RetryPolicy, retryAfterMs = 0, random = Math.random): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 40)));
  const jittered = exponential * (0.5 + 0.5 * random());
  return Math.round(Math.max(jittered, Math.min(retryAfterMs, policy.capMs)));
}

import { DEFAULT_RATE_BURST, DEFAULT_RATE_PER_SECOND } from "./limits";

/*
 * A token bucket per API key, in process memory: `burst` requests at once, refilled at
 * `ratePerSecond`. Keyed by the key's hash, so it runs before any database work and a flood with
 * one key (valid or not) costs no queries. With several app instances each has its own buckets;
 * the limit is then per instance (documented). Idle, full buckets are dropped to bound memory.
 */

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiterOptions {
  ratePerSecond: number;
  burst: number;
  /** Buckets kept at most; beyond it, full (idle) buckets are dropped first. */
  maxKeys?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ratePerMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    this.ratePerMs = options.ratePerSecond / 1000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.ratePerSecond > 0 && this.options.burst > 0;
  }

  take(key: string): RateDecision {
    if (!this.enabled) return { ok: true };
    const now = this.now();
    const { burst } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) * this.ratePerMs);
    bucket.at = now;
    // Re-insert so Map order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.evict(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerMs / 1000)) };
  }

  private evict(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.buckets.size <= this.maxKeys) return;
      const refilled = bucket.tokens + (now - bucket.at) * this.ratePerMs;
      if (refilled >= this.options.burst) this.buckets.delete(key);
    }
    // Everything is busy: drop the least recently used rather than grow without bound.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) return;
      this.buckets.delete(key);
    }
  }
}

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** INGEST_RATE_PER_SECOND / INGEST_RATE_BURST (0 turns the limit off). */
export function rateLimitFromEnv(): RateLimiterOptions {
  return {
    ratePerSecond: numberFromEnv("INGEST_RATE_PER_SECOND", DEFAULT_RATE_PER_SECOND),
    burst: numberFromEnv("INGEST_RATE_BURST", DEFAULT_RATE_BURST),
  };
}

// One limiter per process, surviving Next's dev-mode module reloads.
const globalForLimiter = globalThis as unknown as { __activityIngestLimiter?: TokenBucketLimiter };

export function ingestRateLimiter(): TokenBucketLimiter {
  globalForLimiter.__activityIngestLimiter ??= new TokenBucketLimiter(rateLimitFromEnv());
  return globalForLimiter.__activityIngestLimiter;
}

/** For tests: the next ingestRateLimiter() call reads the environment again. */
export function resetIngestRateLimiter(): void {
  globalForLimiter.__activityIngestLimiter = undefined;
}

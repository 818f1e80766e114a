import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Logger } from "../log/logger.ts";

export type LimitVerdict = { ok: true } | { ok: false; retryAfterMs: number; storeUnavailable?: true };

/** Fixed-window request counting behind one narrow interface (memory or Redis). */
export interface RateLimiter {
  consume(bucket: string, points: number, windowSeconds: number): Promise<LimitVerdict>;
}

/**
 * What a request meets while the shared (Redis) counters cannot be reached:
 * `local` counts on this node with the same limits (the default: per-node limits,
 * never no limits), `open` admits every request, `closed` refuses every request
 * that has a rate limit (429, "rate limiting unavailable").
 */
export type StoreFailMode = "local" | "open" | "closed";
export const STORE_FAIL_MODES = ["local", "open", "closed"] as const;

/** Reported in /_only1mcp/status as `rateLimits`. */
export type RateLimitStoreStatus = {
  store: "memory" | "redis";
  failMode: StoreFailMode;
  available: boolean;
  unavailableSince?: string;
  lastError?: string;
  /** Decisions taken by the fail mode since the process started. */
  whileUnavailable: { admitted: number; refused: number };
};

const ALLOWED: LimitVerdict = { ok: true };
const STORE_DOWN_RETRY_MS = 1000;

/**
 * rate-limiter-flexible, one limiter per (points, window) pair, created on first use.
 * With a Redis client the counters are shared by the fleet; when Redis fails, the
 * configured fail mode answers (see StoreFailMode), logged once per outage and
 * reported by `status()`.
 */
export class FlexibleRateLimiter implements RateLimiter {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private readonly local = new Map<string, RateLimiterAbstract>();
  private readonly failMode: StoreFailMode;
  private unavailableSince: Date | undefined;
  private lastError: string | undefined;
  private readonly counts = { admitted: 0, refused: 0 };

  constructor(
    private readonly options: { redis?: Redis; keyPrefix?: string; failMode?: StoreFailMode; log?: Logger } = {},
  ) {
    this.failMode = options.failMode ?? "local";
  }

  async consume(bucket: string, points: number, windowSeconds: number): Promise<LimitVerdict> {
    const limiter = this.limiterFor(this.limiters, points, windowSeconds, Boolean(this.options.redis));
    try {
      await limiter.consume(bucket);
      this.recovered();
      return ALLOWED;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        this.recovered();
        return { ok: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
      }
      if (!this.options.redis) throw rejection;
      return this.storeFailed(rejection, bucket, points, windowSeconds);
    }
  }

  status(): RateLimitStoreStatus {
    const status: RateLimitStoreStatus = {
      store: this.options.redis ? "redis" : "memory",
      failMode: this.failMode,
      available: this.unavailableSince === undefined,
      whileUnavailable: { ...this.counts },
    };
    if (this.unavailableSince) status.unavailableSince = this.unavailableSince.toISOString();
    if (this.lastError) status.lastError = this.lastError;
    return status;
  }

  private async storeFailed(error: unknown, bucket: string, points: number, windowSeconds: number) {
    this.lastError = error instanceof Error ? error.message : String(error);
    if (!this.unavailableSince) {
      this.unavailableSince = new Date();
      this.options.log?.error(`rate-limit store unavailable; failing ${this.failMode}`, {
        failMode: this.failMode,
        error: this.lastError,
      });
    }
    let verdict: LimitVerdict;
    if (this.failMode === "open") verdict = ALLOWED;
    else if (this.failMode === "closed")
      verdict = { ok: false, retryAfterMs: STORE_DOWN_RETRY_MS, storeUnavailable: true };
    else {
      try {
        await this.limiterFor(this.local, points, windowSeconds, false).consume(bucket);
        verdict = ALLOWED;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        verdict = { ok: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
      }
    }
    if (verdict.ok) this.counts.admitted++;
    else this.counts.refused++;
    return verdict;
  }

  private recovered(): void {
    if (!this.unavailableSince) return;
    this.options.log?.info("rate-limit store available again", {
      failMode: this.failMode,
      unavailableMs: Date.now() - this.unavailableSince.getTime(),
    });
    this.unavailableSince = undefined;
  }

  private limiterFor(
    cache: Map<string, RateLimiterAbstract>,
    points: number,
    duration: number,
    shared: boolean,
  ): RateLimiterAbstract {
    const id = `${points}/${duration}`;
    let limiter = cache.get(id);
    if (!limiter) {
      const keyPrefix = `${this.options.keyPrefix ?? "only1mcp"}:rl:${id}`;
      limiter =
        shared && this.options.redis
          ? new RateLimiterRedis({
              storeClient: this.options.redis,
              keyPrefix,
              points,
              duration,
              rejectIfRedisNotReady: true,
            })
          : new RateLimiterMemory({ keyPrefix, points, duration });
      cache.set(id, limiter);
    }
    return limiter;
  }
}

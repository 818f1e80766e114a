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
type LimiterCache = Map<number, Map<number, RateLimiterAbstract>>;
const STORE_DOWN_RETRY_MS = 1000;

/**
 * rate-limiter-flexible, one limiter per (points, window) pair, created on first use.
 * With a Redis client the counters are shared by the fleet; when Redis fails, the
 * configured fail mode answers (see StoreFailMode), logged once per outage and
 * reported by `status()`.
 */
export class FlexibleRateLimiter implements RateLimiter {
  /** By points, then window: no key string built per call. */
  private readonly limiters: LimiterCache = new Map();
  private readonly local: LimiterCache = new Map();
  private readonly failMode: StoreFailMode;
  private unavailableSince: Date | undefined;
  private lastError: string | undefined;
  private readonly counts = { admitted: 0, refused: 0 };

  constructor(
    private readonly options: { redis?: Redis; keyPrefix?: string; failMode?: StoreFailMode; log?: Logger } = {},
  ) {
    this.failMode = options.failMode ?? "local";
  }

  /** Not async, and no per-call closure on the way in: it runs up to four times for every request. */
  consume(bucket: string, points: number, windowSeconds: number): Promise<LimitVerdict> {
    const limiter = this.limiterFor(this.limiters, points, windowSeconds, Boolean(this.options.redis));
    return limiter
      .consume(bucket)
      .then(this.allowed, (rejection: unknown) => this.rejected(rejection, bucket, points, windowSeconds));
  }

  private readonly allowed = (): LimitVerdict => {
    if (this.unavailableSince) this.recovered();
    return ALLOWED;
  };

  private rejected(rejection: unknown, bucket: string, points: number, windowSeconds: number) {
    if (rejection instanceof RateLimiterRes) {
      this.recovered();
      return { ok: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) } as const;
    }
    if (!this.options.redis) throw rejection;
    return this.storeFailed(rejection, bucket, points, windowSeconds);
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

  private limiterFor(cache: LimiterCache, points: number, duration: number, shared: boolean): RateLimiterAbstract {
    let byWindow = cache.get(points);
    if (!byWindow) {
      byWindow = new Map();
      cache.set(points, byWindow);
    }
    let limiter = byWindow.get(duration);
    if (!limiter) {
      const keyPrefix = `${this.options.keyPrefix ?? "only1mcp"}:rl:${points}/${duration}`;
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
      byWindow.set(duration, limiter);
    }
    return limiter;
  }
}

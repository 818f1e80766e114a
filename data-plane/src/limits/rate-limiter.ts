import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Logger } from "../log/logger.ts";
import { MemoryWindow } from "./memory-window.ts";

export type LimitVerdict = { ok: true } | { ok: false; retryAfterMs: number; storeUnavailable?: true };

/** Fixed-window request counting behind one narrow interface (memory or Redis). */
export interface RateLimiter {
  /** Synchronous with the memory store; a Promise only when the shared (Redis) store is asked. */
  consume(bucket: string, points: number, windowSeconds: number): LimitVerdict | Promise<LimitVerdict>;
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
/** By points, then window: no key string is built per call. */
class ByLimit<T> {
  private readonly byPoints = new Map<number, Map<number, T>>();
  constructor(private readonly create: (points: number, windowSeconds: number) => T) {}
  get(points: number, windowSeconds: number): T {
    let byWindow = this.byPoints.get(points);
    if (!byWindow) {
      byWindow = new Map();
      this.byPoints.set(points, byWindow);
    }
    let found = byWindow.get(windowSeconds);
    if (!found) {
      found = this.create(points, windowSeconds);
      byWindow.set(windowSeconds, found);
    }
    return found;
  }
}
const STORE_DOWN_RETRY_MS = 1000;

/**
 * rate-limiter-flexible: one limiter per (points, window) pair, created on first use.
 * Without Redis the counters are this node's own, checked synchronously (see
 * MemoryWindow). With a Redis client they are shared by the fleet; when Redis fails,
 * the configured fail mode answers (see StoreFailMode), logged once per outage and
 * reported by `status()`.
 */
export class FlexibleRateLimiter implements RateLimiter {
  private readonly shared: ByLimit<RateLimiterRedis> | undefined;
  private readonly local = new ByLimit((points, windowSeconds) => new MemoryWindow(points, windowSeconds));
  private readonly failMode: StoreFailMode;
  private unavailableSince: Date | undefined;
  private lastError: string | undefined;
  private readonly counts = { admitted: 0, refused: 0 };

  constructor(
    private readonly options: { redis?: Redis; keyPrefix?: string; failMode?: StoreFailMode; log?: Logger } = {},
  ) {
    this.failMode = options.failMode ?? "local";
    const redis = options.redis;
    if (redis) {
      this.shared = new ByLimit(
        (points, duration) =>
          new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: `${options.keyPrefix ?? "only1mcp"}:rl:${points}/${duration}`,
            points,
            duration,
            rejectIfRedisNotReady: true,
          }),
      );
    }
  }

  consume(bucket: string, points: number, windowSeconds: number): LimitVerdict | Promise<LimitVerdict> {
    if (!this.shared) return this.local.get(points, windowSeconds).take(bucket);
    return this.shared
      .get(points, windowSeconds)
      .consume(bucket)
      .then(this.allowed, (rejection: unknown) => this.rejected(rejection, bucket, points, windowSeconds));
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

  private readonly allowed = (): LimitVerdict => {
    if (this.unavailableSince) this.recovered();
    return ALLOWED;
  };

  private rejected(rejection: unknown, bucket: string, points: number, windowSeconds: number): LimitVerdict {
    if (rejection instanceof RateLimiterRes) {
      this.recovered();
      return { ok: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
    }
    return this.storeFailed(rejection, bucket, points, windowSeconds);
  }

  private storeFailed(error: unknown, bucket: string, points: number, windowSeconds: number): LimitVerdict {
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
    else verdict = this.local.get(points, windowSeconds).take(bucket);
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
}

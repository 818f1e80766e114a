import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

export type LimitVerdict = { ok: true } | { ok: false; retryAfterMs: number };

/** Fixed-window request counting behind one narrow interface (memory or Redis). */
export interface RateLimiter {
  consume(bucket: string, points: number, windowSeconds: number): Promise<LimitVerdict>;
}

const ALLOWED: LimitVerdict = { ok: true };

/**
 * rate-limiter-flexible, one limiter per (points, window) pair, created on first use.
 * With a Redis client the counters are shared by the fleet; when Redis fails, an
 * in-memory insurance limiter with the same limits answers (fail open to
 * per-node limits, never to no limits).
 */
export class FlexibleRateLimiter implements RateLimiter {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(private readonly options: { redis?: Redis; keyPrefix?: string } = {}) {}

  async consume(bucket: string, points: number, windowSeconds: number): Promise<LimitVerdict> {
    const limiter = this.limiterFor(points, windowSeconds);
    try {
      await limiter.consume(bucket);
      return ALLOWED;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return { ok: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
      }
      throw rejection;
    }
  }

  private limiterFor(points: number, duration: number): RateLimiterAbstract {
    const id = `${points}/${duration}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const keyPrefix = `${this.options.keyPrefix ?? "only1mcp"}:rl:${id}`;
      limiter = this.options.redis
        ? new RateLimiterRedis({
            storeClient: this.options.redis,
            keyPrefix,
            points,
            duration,
            insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
          })
        : new RateLimiterMemory({ keyPrefix, points, duration });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

import { createRequire } from "node:module";
import type { Redis } from "ioredis";
import type { DataPlaneConfig } from "../config/env.ts";
import { AuthFailureGuard } from "../limits/auth-failures.ts";
import { ConcurrencyGate } from "../limits/concurrency.ts";
import { FlexibleRateLimiter, type RateLimitStoreStatus } from "../limits/rate-limiter.ts";
import { RequestGuard } from "../limits/request-guard.ts";
import type { Logger } from "../log/logger.ts";
import type { AppliedConfig } from "../snapshots/applied-config.ts";
import { DEFAULT_REQUEST_LIMITS, type RequestLimits, type SecuritySettings } from "./security-schema.ts";

/**
 * The enforcement parts that outlive one snapshot (counters, Redis connection),
 * reading their settings from whatever configuration is in force.
 */
export type SecurityRuntime = {
  guard: RequestGuard;
  /** Where rate-limit counters live and whether they are reachable (for /_only1mcp/status). */
  rateLimitStatus: () => RateLimitStoreStatus;
  requestLimits: () => RequestLimits;
  authFailures: () => AuthFailureGuard;
  /** The shared Redis connection when REDIS_URL is set (rate limits, cache). */
  redis: Redis | undefined;
  close(): Promise<void>;
};

export function startSecurityRuntime(
  config: Pick<DataPlaneConfig, "redisUrl" | "redisPrefix"> & Partial<Pick<DataPlaneConfig, "rateLimitFailMode">>,
  current: () => AppliedConfig | undefined,
  log: Logger,
): SecurityRuntime {
  const settings = (): SecuritySettings | undefined => current()?.payload.security;
  let redis: Redis | undefined;
  if (config.redisUrl) {
    // ioredis is loaded only when REDIS_URL is set: unused, it would cost the process memory (issue 7, idle RSS).
    const { Redis: RedisClient } = createRequire(import.meta.url)("ioredis") as typeof import("ioredis");
    // enableOfflineQueue false: a Redis outage fails fast into the configured fail mode.
    redis = new RedisClient(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
    redis.on("error", (error) => log.debug("redis error", { error: error.message }));
  }
  const limiter = new FlexibleRateLimiter({
    redis,
    keyPrefix: config.redisPrefix,
    failMode: config.rateLimitFailMode ?? "local",
    log: log.child({ component: "rate-limits" }),
  });
  const guard = new RequestGuard({
    limiter,
    concurrency: new ConcurrencyGate(),
    settings: () => settings()?.rate_limiting,
  });
  let failures: AuthFailureGuard | undefined;
  return {
    guard,
    rateLimitStatus: () => limiter.status(),
    redis,
    requestLimits: () => settings()?.limits ?? DEFAULT_REQUEST_LIMITS,
    authFailures() {
      const limit = settings()?.rate_limiting?.failed_auth_limit ?? 10;
      const window = settings()?.rate_limiting?.window_seconds ?? 60;
      if (!failures || failures.limit !== limit || failures.windowSeconds !== window) {
        failures = new AuthFailureGuard(limit, window);
      }
      return failures;
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}

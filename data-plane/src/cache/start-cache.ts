import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "../log/logger.ts";
import type { ToolResultCache } from "./cached-call.ts";
import { EncryptedRedisResultStore, MemoryResultStore } from "./result-cache.ts";

/** In memory for one data plane; encrypted in Redis for a fleet. */
export function startCache(
  options: { redis: Redis | undefined; cacheKey: Buffer | undefined; redisPrefix: string },
  generation: () => string,
  log: Logger,
): ToolResultCache {
  if (!options.redis) return { store: new MemoryResultStore(), generation };
  let key = options.cacheKey;
  if (key?.length !== 32) {
    if (key) log.error("ONLY1MCP_CACHE_KEY must be base64 of 32 bytes; using a random per-process key");
    else log.warn("no ONLY1MCP_CACHE_KEY: cache entries in Redis are encrypted with a per-process key (not shared)");
    key = randomBytes(32);
  }
  return { store: new EncryptedRedisResultStore(options.redis, key, options.redisPrefix), generation };
}

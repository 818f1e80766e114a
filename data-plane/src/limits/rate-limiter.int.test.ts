import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { FlexibleRateLimiter } from "./rate-limiter.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("rate limits in Redis (shared by a fleet)", () => {
  const prefix = `test-${randomBytes(6).toString("hex")}`;
  const a = new Redis(REDIS_URL, { enableOfflineQueue: false });
  const b = new Redis(REDIS_URL, { enableOfflineQueue: false });

  afterAll(async () => {
    const keys = await a.keys(`${prefix}*`);
    if (keys.length > 0) await a.del(...keys);
    await a.quit();
    await b.quit();
  });

  it("two data planes share one counter", async () => {
    await Promise.all(
      [a, b].map((r) => new Promise((resolve) => (r.status === "ready" ? resolve(0) : r.once("ready", resolve)))),
    );
    const nodeA = new FlexibleRateLimiter({ redis: a, keyPrefix: prefix });
    const nodeB = new FlexibleRateLimiter({ redis: b, keyPrefix: prefix });
    expect((await nodeA.consume("k:t:key", 3, 60)).ok).toBe(true);
    expect((await nodeB.consume("k:t:key", 3, 60)).ok).toBe(true);
    expect((await nodeA.consume("k:t:key", 3, 60)).ok).toBe(true);
    const refused = await nodeB.consume("k:t:key", 3, 60);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? 0 : refused.retryAfterMs).toBeGreaterThan(0);
    expect((await a.keys(`${prefix}*`)).length).toBeGreaterThan(0);
  });

  it("falls back to in-memory limits when Redis is unreachable (fail open to per-node limits)", async () => {
    const dead = new Redis("redis://127.0.0.1:1", {
      enableOfflineQueue: false,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    dead.on("error", () => {});
    const limiter = new FlexibleRateLimiter({ redis: dead, keyPrefix: prefix });
    expect((await limiter.consume("x", 1, 60)).ok).toBe(true);
    expect((await limiter.consume("x", 1, 60)).ok).toBe(false);
    dead.disconnect();
  });
});

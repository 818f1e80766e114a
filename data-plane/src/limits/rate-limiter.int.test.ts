import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger, type Logger } from "../log/logger.ts";
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

  for (const [failMode, expected] of [
    ["local", [true, false, false]],
    ["open", [true, true, true]],
    ["closed", [false, false, false]],
  ] as const) {
    it(`with Redis unreachable and fail mode '${failMode}', answers ${expected.join("/")} and reports it`, async () => {
      const dead = new Redis("redis://127.0.0.1:1", {
        enableOfflineQueue: false,
        lazyConnect: true,
        maxRetriesPerRequest: 0,
      });
      dead.on("error", () => {});
      const lines: string[] = [];
      const log = captureLogger(lines);
      const limiter = new FlexibleRateLimiter({ redis: dead, keyPrefix: prefix, failMode, log });
      expect(limiter.status()).toMatchObject({ store: "redis", failMode, available: true });
      const verdicts = [];
      for (let i = 0; i < 3; i++) verdicts.push((await limiter.consume(`fm-${failMode}`, 1, 60)).ok);
      expect(verdicts).toEqual(expected);
      const status = limiter.status();
      expect(status).toMatchObject({ store: "redis", failMode, available: false });
      expect(status.unavailableSince).toBeDefined();
      expect(status.whileUnavailable).toEqual({
        admitted: expected.filter(Boolean).length,
        refused: expected.filter((v) => !v).length,
      });
      // Said once per outage, not once per request.
      expect(lines.filter((l) => l.includes(`rate-limit store unavailable; failing ${failMode}`))).toHaveLength(1);
      dead.disconnect();
    });
  }

  it("says when the store is back, and counts in Redis again", async () => {
    const live = new Redis(REDIS_URL, { enableOfflineQueue: false, lazyConnect: true, maxRetriesPerRequest: 0 });
    live.on("error", () => {});
    const lines: string[] = [];
    const limiter = new FlexibleRateLimiter({
      redis: live,
      keyPrefix: prefix,
      failMode: "closed",
      log: captureLogger(lines),
    });
    expect((await limiter.consume("back", 5, 60)).ok).toBe(false);
    expect(limiter.status().available).toBe(false);
    await live.connect();
    expect((await limiter.consume("back", 5, 60)).ok).toBe(true);
    expect(limiter.status()).toMatchObject({ available: true, whileUnavailable: { admitted: 0, refused: 1 } });
    expect(lines.some((l) => l.includes("rate-limit store available again"))).toBe(true);
    expect((await a.keys(`${prefix}:rl:5/60*`)).length).toBe(1);
    await live.quit();
  });
});

function captureLogger(lines: string[]): Logger {
  return createLogger({ level: "debug", write: (line) => lines.push(line) });
}

import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { cachedCall, type ToolResultCache } from "./cached-call.ts";
import { EncryptedRedisResultStore, MemoryResultStore, type ResultStore } from "./result-cache.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `test-${randomBytes(6).toString("hex")}`;
const redis = new Redis(REDIS_URL);

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

function counter(text = "result") {
  let calls = 0;
  return {
    run: async () => {
      calls++;
      return { content: [{ type: "text", text: `${text}-${calls}` }] };
    },
    get calls() {
      return calls;
    },
  };
}

function suite(name: string, makeStore: () => ResultStore) {
  describe(`tool result cache (${name})`, () => {
    let generation = "g1";
    const cache: ToolResultCache = { store: makeStore(), generation: () => generation };
    const alice = { tenantId: "ten_a", keyId: "key_alice" };
    const bob = { tenantId: "ten_a", keyId: "key_bob" };
    const mallory = { tenantId: "ten_b", keyId: "key_alice" }; // same key id, other tenant

    it("private entries serve only the same key; tenant entries only the same tenant", async () => {
      const upstream = counter();
      const priv = { ttlMs: 60_000, scope: "private" as const };
      const first = await cachedCall(cache, priv, alice, "s__t", { q: 1 }, upstream.run);
      expect(await cachedCall(cache, priv, alice, "s__t", { q: 1 }, upstream.run)).toEqual(first);
      expect(upstream.calls).toBe(1);
      await cachedCall(cache, priv, bob, "s__t", { q: 1 }, upstream.run);
      await cachedCall(cache, priv, mallory, "s__t", { q: 1 }, upstream.run);
      expect(upstream.calls).toBe(3);
      const shared = { ttlMs: 60_000, scope: "tenant" as const };
      const t = counter("tenant");
      await cachedCall(cache, shared, alice, "s__t", { q: 2 }, t.run);
      await cachedCall(cache, shared, bob, "s__t", { q: 2 }, t.run);
      expect(t.calls).toBe(1);
      await cachedCall(cache, shared, mallory, "s__t", { q: 2 }, t.run);
      expect(t.calls).toBe(2);
    });

    it("different arguments miss; a new generation (snapshot, key or policy change) flushes", async () => {
      const upstream = counter();
      const rule = { ttlMs: 60_000, scope: "private" as const };
      await cachedCall(cache, rule, alice, "s__u", { a: 1, b: 2 }, upstream.run);
      await cachedCall(cache, rule, alice, "s__u", { b: 2, a: 1 }, upstream.run); // same canonical args
      await cachedCall(cache, rule, alice, "s__u", { a: 2 }, upstream.run);
      expect(upstream.calls).toBe(2);
      generation = "g2";
      await cachedCall(cache, rule, alice, "s__u", { a: 1, b: 2 }, upstream.run);
      expect(upstream.calls).toBe(3);
    });

    it("never caches tool errors, nor tools without a cache rule", async () => {
      let calls = 0;
      const failing = async () => {
        calls++;
        return { isError: true, content: [] };
      };
      const rule = { ttlMs: 60_000, scope: "private" as const };
      await cachedCall(cache, rule, alice, "s__e", {}, failing);
      await cachedCall(cache, rule, alice, "s__e", {}, failing);
      await cachedCall(cache, undefined, alice, "s__e", {}, failing);
      expect(calls).toBe(3);
    });
  });
}

suite("memory", () => new MemoryResultStore());
const key = randomBytes(32);
suite("redis, encrypted", () => new EncryptedRedisResultStore(redis, key, prefix));

describe("encrypted Redis entries", () => {
  it("are AES-256-GCM ciphertext at rest, shared by nodes with the same key, unreadable with another", async () => {
    const nodeA = new EncryptedRedisResultStore(redis, key, prefix);
    const nodeB = new EncryptedRedisResultStore(redis, key, prefix);
    const other = new EncryptedRedisResultStore(redis, randomBytes(32), prefix);
    await nodeA.set("g:t:k:x", { secret: "PLAINTEXT-SENTINEL" }, 60_000);
    const raw = await redis.getBuffer(`${prefix}:cache:g:t:k:x`);
    expect(raw).not.toBeNull();
    expect(raw?.toString("latin1")).not.toContain("PLAINTEXT-SENTINEL");
    expect(await nodeB.get("g:t:k:x")).toEqual({ secret: "PLAINTEXT-SENTINEL" });
    expect(await other.get("g:t:k:x")).toBeUndefined();
    const ttl = await redis.pttl(`${prefix}:cache:g:t:k:x`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});

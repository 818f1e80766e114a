import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";

/** Where cached results live; keys arrive already namespaced (see ./cached-call.ts). */
export interface ResultStore {
  get(key: string): Promise<unknown | undefined>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
}

/** One data plane: an LRU bounded by entry count, each entry with its own TTL. */
export class MemoryResultStore implements ResultStore {
  private readonly lru = new LRUCache<string, { value: unknown }>({ max: 10_000, ttlAutopurge: false });

  async get(key: string): Promise<unknown | undefined> {
    return this.lru.get(key)?.value;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.lru.set(key, { value }, { ttl: ttlMs });
  }
}

/**
 * A fleet: entries in Redis, encrypted with AES-256-GCM (random 96-bit IV per entry,
 * the Redis key as additional data so an entry cannot be replayed under another
 * key). Cached results may hold sensitive data; Redis never sees them in clear.
 * A Redis failure is a cache miss (fail open to calling the upstream).
 */
export class EncryptedRedisResultStore implements ResultStore {
  constructor(
    private readonly redis: Redis,
    private readonly key: Buffer,
    private readonly prefix: string,
  ) {
    if (key.length !== 32) throw new Error("cache encryption key must be 32 bytes");
  }

  async get(key: string): Promise<unknown | undefined> {
    const full = `${this.prefix}:cache:${key}`;
    let stored: Buffer | null;
    try {
      stored = await this.redis.getBuffer(full);
    } catch {
      return undefined;
    }
    if (!stored || stored.length < 12 + 16) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, stored.subarray(0, 12));
      decipher.setAAD(Buffer.from(full));
      decipher.setAuthTag(stored.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]);
      return JSON.parse(plain.toString("utf8"));
    } catch {
      return undefined; // tampered, or written under another key
    }
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    const full = `${this.prefix}:cache:${key}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(full));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    try {
      await this.redis.set(full, Buffer.concat([iv, cipher.getAuthTag(), body]), "PX", ttlMs);
    } catch {
      // A cache that cannot be written is only slower.
    }
  }
}

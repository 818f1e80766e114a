import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { BullMqJobQueue } from "./bullmq-queue.ts";
import { describeJobQueueContract } from "./job-queue-contract.ts";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Removes its keys on close: helpers and CI share this Redis. */
class DisposableQueue extends BullMqJobQueue {
  constructor(private readonly keyPrefix: string) {
    super({ redisUrl: REDIS_URL, prefix: keyPrefix, lockDurationMs: 1000, stalledIntervalMs: 500 });
  }
  override async close(): Promise<void> {
    await super.close();
    const redis = new Redis(REDIS_URL);
    try {
      const keys = await redis.keys(`${this.keyPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      await redis.quit();
    }
  }
}

describeJobQueueContract("BullMQ on Redis", () => new DisposableQueue(`o1test-${randomBytes(6).toString("hex")}`));

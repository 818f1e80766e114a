import type { Redis } from "ioredis";
import type { Logger } from "../log/logger.ts";

/**
 * Fleet-wide session revocation: a DELETE on any replica reaches every replica
 * sharing the Redis (and the session secret). The revoking replica adds the id to a
 * sorted set scored by the session's expiry (so a replica that starts later still
 * refuses it) and publishes it; every replica adds published ids to its local
 * revoked list. The per-request check stays local (no Redis round trip); a Redis
 * failure leaves revocation per replica, as without Redis.
 */
export class SessionRevocations {
  private subscriber: Redis | undefined;
  private readonly channel: string;
  private readonly setKey: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly onRevoked: (sessionId: string) => void,
    private readonly log: Logger,
  ) {
    this.channel = `${prefix}:sessions:revoked`;
    this.setKey = `${prefix}:sessions:revoked-set`;
  }

  /** Subscribes, then loads the revocations still in force. */
  async start(): Promise<void> {
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true });
    this.subscriber = subscriber;
    subscriber.on("error", (error) => this.log.warn("session revocation channel error", { error: error.message }));
    subscriber.on("message", (channel, id) => {
      if (channel === this.channel) this.onRevoked(id);
    });
    try {
      await subscriber.subscribe(this.channel);
      const now = Date.now();
      await this.redis.zremrangebyscore(this.setKey, 0, now);
      for (const id of await this.redis.zrangebyscore(this.setKey, now, "+inf")) this.onRevoked(id);
    } catch (error) {
      this.log.warn("session revocations not loaded; DELETE is per replica until Redis answers", {
        error: (error as Error).message,
      });
    }
  }

  /** Tells every replica; `expiresAt` bounds how long the revocation is kept. */
  revoke(sessionId: string, expiresAt: number): void {
    this.redis
      .multi()
      .zadd(this.setKey, expiresAt, sessionId)
      .publish(this.channel, sessionId)
      .exec()
      .catch((error: Error) =>
        this.log.warn("session revocation not shared; other replicas honour the session until it expires", {
          error: error.message,
        }),
      );
  }

  async stop(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }
}

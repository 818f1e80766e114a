import { createRequire } from "node:module";

/** What rate-limiter-flexible's MemoryStorage answers for one increment. */
type WindowCount = { consumedPoints: number; msBeforeNext: number };
type MemoryStorage = { incrby(key: string, points: number, durationSeconds: number): WindowCount };

// rate-limiter-flexible's own in-memory store (the one inside its RateLimiterMemory),
// used directly: the same counters and window arithmetic, without the Promise that
// RateLimiterMemory wraps around each synchronous check. The request path runs up
// to four checks per request; memory-window.test.ts pins this against the public class.
const require = createRequire(import.meta.url);
const MemoryStorageClass =
  require("rate-limiter-flexible/lib/component/MemoryStorage/MemoryStorage.js") as new () => MemoryStorage;

/** One fixed window: at most `points` takes per bucket per `windowSeconds`. */
export class MemoryWindow {
  private readonly storage: MemoryStorage = new MemoryStorageClass();

  constructor(
    readonly points: number,
    readonly windowSeconds: number,
  ) {}

  /** Counts one request; over the limit, how long until the bucket's window resets. */
  take(bucket: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const count = this.storage.incrby(bucket, 1, this.windowSeconds);
    if (count.consumedPoints > this.points) return { ok: false, retryAfterMs: Math.max(1, count.msBeforeNext) };
    return ALLOWED;
  }
}

const ALLOWED = { ok: true } as const;

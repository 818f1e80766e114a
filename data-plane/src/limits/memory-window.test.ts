import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { describe, expect, it } from "vitest";
import { MemoryWindow } from "./memory-window.ts";

// MemoryWindow calls rate-limiter-flexible's store directly (no Promise): it must
// decide exactly as the library's public RateLimiterMemory does, or an upgrade broke it.
describe("MemoryWindow", () => {
  it("admits and refuses as rate-limiter-flexible's RateLimiterMemory does, per bucket", async () => {
    const window = new MemoryWindow(3, 60);
    const library = new RateLimiterMemory({ points: 3, duration: 60 });
    const libraryVerdict = (bucket: string) =>
      library.consume(bucket).then(
        () => true,
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          return false;
        },
      );
    const sequence = ["a", "a", "b", "a", "a", "b", "b", "b", "c"];
    const ours = sequence.map((bucket) => window.take(bucket).ok);
    const theirs: boolean[] = [];
    for (const bucket of sequence) theirs.push(await libraryVerdict(bucket));
    expect(ours).toEqual(theirs);
    expect(ours).toEqual([true, true, true, true, false, true, true, false, true]);
  });

  it("says how long until the window resets, at least 1 ms", () => {
    const window = new MemoryWindow(1, 30);
    expect(window.take("k")).toEqual({ ok: true });
    const refused = window.take("k");
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.retryAfterMs).toBeGreaterThan(29_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(30_000);
    }
  });

  it("starts a new window once the old one has passed", async () => {
    const window = new MemoryWindow(1, 0.05);
    expect(window.take("k").ok).toBe(true);
    expect(window.take("k").ok).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(window.take("k").ok).toBe(true);
  });
});

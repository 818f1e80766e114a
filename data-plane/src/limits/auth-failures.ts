import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Bounds bcrypt attempts per key prefix and per client address, so a flood of
 * wrong secrets for a real key id is refused before bcrypt runs. An attempt spends
 * a point before bcrypt (a parallel flood is bounded as well as a serial one); a
 * success gives the point back, so only failures accumulate. Local to the node on
 * purpose: the CPU it protects is this node's. A key already verified (positive
 * cache) never reaches this guard.
 */
export class AuthFailureGuard {
  private readonly limiter: RateLimiterMemory;

  constructor(
    readonly limit: number,
    readonly windowSeconds: number,
  ) {
    this.limiter = new RateLimiterMemory({ keyPrefix: "authfail", points: limit, duration: windowSeconds });
  }

  /** 0 when the attempt may run now; else milliseconds until the prefix or address may try again. */
  async begin(prefix: string, address: string | undefined): Promise<number> {
    const waits = await Promise.all([this.spend(`p:${prefix}`), address ? this.spend(`a:${address}`) : 0]);
    return Math.max(...waits);
  }

  async succeeded(prefix: string, address: string | undefined): Promise<void> {
    await Promise.all([this.limiter.reward(`p:${prefix}`), address ? this.limiter.reward(`a:${address}`) : undefined]);
  }

  private async spend(key: string): Promise<number> {
    try {
      await this.limiter.consume(key);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
      throw rejection;
    }
  }
}

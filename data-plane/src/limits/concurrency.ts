/** Requests in progress per key; a plain counter map (local to this process by design). */
export class ConcurrencyGate {
  private readonly inFlight = new Map<string, number>();

  /** True when admitted; the caller must then call release(key) exactly once. */
  tryAcquire(key: string, max: number): boolean {
    const now = this.inFlight.get(key) ?? 0;
    if (now >= max) return false;
    this.inFlight.set(key, now + 1);
    return true;
  }

  release(key: string): void {
    const now = this.inFlight.get(key) ?? 0;
    if (now <= 1) this.inFlight.delete(key);
    else this.inFlight.set(key, now - 1);
  }

  current(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }
}

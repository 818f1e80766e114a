/**
 * Reconnect policy of an upstream connection: exponential backoff (1 s, 2 s, 4 s, …)
 * and, after `threshold` consecutive failures, an open circuit: calls fail at once
 * with the reason and only one probe connect runs every `openMs` (half-open); a probe
 * that succeeds closes it.
 */
export type CircuitBreakerOptions = { threshold: number; baseBackoffMs: number; openMs: number };
export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerOptions = { threshold: 5, baseBackoffMs: 1000, openMs: 30_000 };
export type CircuitState = "closed" | "open" | "half-open";

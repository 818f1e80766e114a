import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Sign-in attempts, limited per client address and per account. In memory: the console
 * is one process (it owns the embedded database). Fail closed: when a limit is reached
 * the attempt is refused before any password is checked.
 */
const perAddress = new RateLimiterMemory({ keyPrefix: "login-ip", points: 20, duration: 60 });
const perAccount = new RateLimiterMemory({ keyPrefix: "login-account", points: 10, duration: 15 * 60 });

export type LoginRateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export async function consumeLoginAttempt(address: string, account: string): Promise<LoginRateDecision> {
  try {
    await perAddress.consume(address || "unknown");
    await perAccount.consume(account.trim().toLowerCase() || "unknown");
    return { allowed: true };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, retryAfterSeconds: Math.ceil(rejection.msBeforeNext / 1000) };
    }
    throw rejection;
  }
}

/** A successful sign-in clears the account's count (the address keeps its own). */
export async function clearAccountAttempts(account: string): Promise<void> {
  await perAccount.delete(account.trim().toLowerCase());
}

/** The client address as Node saw it (x-forwarded-for only when a proxy is declared trusted). */
export function clientAddress(headers: Record<string, unknown> | undefined): string {
  const trustProxy = process.env.ONLY1MCP_TRUST_PROXY === "1";
  const forwarded = headers?.["x-forwarded-for"];
  if (trustProxy && typeof forwarded === "string") return forwarded.split(",")[0]?.trim() ?? "";
  const real = headers?.["x-real-ip"];
  return typeof real === "string" ? real : "direct";
}

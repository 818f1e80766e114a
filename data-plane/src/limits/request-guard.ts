import type { Failure } from "../errors.ts";
import type { CallerAccess } from "../policy/caller-access.ts";
import type { RateLimitingSettings } from "../security/security-schema.ts";
import type { ConcurrencyGate } from "./concurrency.ts";
import type { LimitVerdict, RateLimiter } from "./rate-limiter.ts";

export type GuardCaller = { tenantId: string; keyId: string; access?: CallerAccess };

export type Admission = { ok: true; release: () => void } | { ok: false; failure: Failure; retryAfterSeconds: number };

const NOTHING_TO_RELEASE = () => {};

/**
 * Every limit declared in one place, checked once per /mcp request after
 * authentication: global, per tenant and per key request rates (the security
 * block and the caller's policies), then concurrent requests per key.
 * Failure mode: a rate store error answers with the configured fail mode (local
 * counters, open or closed; see FlexibleRateLimiter); concurrency is always local.
 */
export class RequestGuard {
  constructor(
    private readonly deps: {
      limiter: RateLimiter;
      concurrency: ConcurrencyGate;
      settings: () => RateLimitingSettings | undefined;
    },
  ) {}

  /** Synchronous unless a check has to ask the shared (Redis) store. */
  admit(caller: GuardCaller): Admission | Promise<Admission> {
    const settings = this.deps.settings();
    const enabled = settings?.enabled !== false;
    const policyLimits = caller.access?.limits;
    // Concurrency first: it is local and cheap, and a request it refuses spends no rate budget.
    const maxConcurrent = minDefined(
      enabled ? settings?.max_concurrent_per_client : undefined,
      policyLimits?.concurrentPerKey,
    );
    let release = NOTHING_TO_RELEASE;
    if (maxConcurrent !== undefined) {
      const key = `${caller.tenantId}:${caller.keyId}`;
      if (!this.deps.concurrency.tryAcquire(key, maxConcurrent)) {
        return refuse(`too many requests in progress for this key (limit ${maxConcurrent})`, 1);
      }
      let released = false;
      release = () => {
        if (released) return;
        released = true;
        this.deps.concurrency.release(key);
      };
    }
    if (!enabled) return { ok: true, release };
    const window = settings?.window_seconds ?? 60;
    const limiter = this.deps.limiter;
    // Parallel arrays, no closure or mapped promise per check: this runs on every request.
    const verdicts: (LimitVerdict | Promise<LimitVerdict>)[] = [];
    const scopes: string[] = [];
    let pending = false;
    const check = (bucket: string, points: number, seconds: number, scope: string) => {
      const verdict = limiter.consume(bucket, points, seconds);
      if (verdict instanceof Promise) pending = true;
      verdicts.push(verdict);
      scopes.push(scope);
    };
    if (settings?.global_limit !== undefined) check("g", settings.global_limit, window, "global");
    if (settings?.per_tenant_limit !== undefined)
      check(`t:${caller.tenantId}`, settings.per_tenant_limit, window, "tenant");
    if (settings?.per_client_limit !== undefined)
      check(`k:${caller.tenantId}:${caller.keyId}`, settings.per_client_limit, window, "key");
    for (const limit of policyLimits?.rates ?? []) {
      const who = limit.scope === "key" ? caller.keyId : "";
      check(
        `p:${caller.tenantId}:${limit.policyId}:${limit.scope}:${who}`,
        limit.requests,
        limit.windowSeconds,
        limit.scope,
      );
    }
    if (!pending) return decide(verdicts as LimitVerdict[], scopes, release);
    return Promise.all(verdicts).then(
      (settled) => decide(settled, scopes, release),
      (error: unknown) => {
        release();
        throw error;
      },
    );
  }
}

/** Admitted when every check passed; otherwise refused by the one that waits longest. */
function decide(verdicts: LimitVerdict[], scopes: string[], release: () => void): Admission {
  let worst: { retryAfterMs: number; scope: string; storeUnavailable?: true } | undefined;
  for (let i = 0; i < verdicts.length; i++) {
    const verdict = verdicts[i] as LimitVerdict;
    if (!verdict.ok && (!worst || verdict.retryAfterMs > worst.retryAfterMs))
      worst = { ...verdict, scope: scopes[i] as string };
  }
  if (!worst) return { ok: true, release };
  release();
  if (worst.storeUnavailable)
    return refuse("rate limiting unavailable (its store is down) and configured to fail closed; retry later", 1);
  return refuse(`rate limit exceeded (${worst.scope}); retry later`, Math.ceil(worst.retryAfterMs / 1000));
}

function refuse(message: string, retryAfterSeconds: number): Admission {
  return { ok: false, failure: { code: "RATE_LIMITED", message }, retryAfterSeconds: Math.max(1, retryAfterSeconds) };
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

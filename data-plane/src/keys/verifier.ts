import { hash as oneShotHash } from "node:crypto";
import bcrypt from "bcrypt";
import { LRUCache } from "lru-cache";
import type { AuthFailureGuard } from "../limits/auth-failures.ts";
import { parseApiKey } from "./api-key-format.ts";
import { type IndexedKey, isExpired, type KeyIndex } from "./key-index.ts";

export type KeyVerification =
  /** `viaJwt`: the credential was an access token (it may be exchanged for upstream tokens, RFC 8693). */
  | { ok: true; tenantId: string; keyId: string; roles: readonly string[]; viaJwt?: boolean }
  | { ok: false; code: "NOT_FOUND" | "EXPIRED" | "INVALID" | "MALFORMED" }
  /** Too many failed attempts for this key prefix or client address: refused before bcrypt. */
  | { ok: false; code: "RATE_LIMITED"; retryAfterMs: number }
  /** A valid JWT without the scopes this resource requires (403 insufficient_scope). */
  | { ok: false; code: "INSUFFICIENT_SCOPE"; requiredScopes: readonly string[] };

/** Turns a bearer token into a tenant, or a stable refusal code. Never throws for a bad token. */
export interface ApiKeyVerifier {
  /** A plain value when it can answer at once (a cached key, a malformed token); a Promise when bcrypt must run. */
  verify(token: string, clientAddress?: string): KeyVerification | Promise<KeyVerification>;
}

export type BcryptVerifierOptions = {
  /** The index of the configuration applied right now; read on every call. */
  currentIndex: () => KeyIndex;
  compare?: (key: string, hash: string) => Promise<boolean>;
  now?: () => number;
  cacheSize?: number;
  /** Limits failed attempts per prefix and per client address before any bcrypt run (read per attempt). */
  failures?: () => AuthFailureGuard | undefined;
};

type CachedMatch = { tenantId: string; keyId: string; hash: string };

/**
 * bcrypt verification with a positive cache keyed by sha256(key). A cached match
 * counts only while the current index still holds the same key id with the same
 * hash, unexpired: a snapshot that removes or re-hashes a key revokes it at once.
 */
export class BcryptApiKeyVerifier implements ApiKeyVerifier {
  private readonly cache: LRUCache<string, CachedMatch>;
  private readonly inflight = new Map<string, Promise<KeyVerification>>();
  private readonly compare: (key: string, hash: string) => Promise<boolean>;
  private readonly now: () => number;

  constructor(private readonly options: BcryptVerifierOptions) {
    this.cache = new LRUCache({ max: options.cacheSize ?? 10_000 });
    this.compare = options.compare ?? ((key, hash) => bcrypt.compare(key, hash));
    this.now = options.now ?? Date.now;
  }

  verify(token: string, clientAddress?: string): KeyVerification | Promise<KeyVerification> {
    const parsed = parseApiKey(token);
    if (!parsed) return { ok: false, code: "MALFORMED" };
    const candidates = this.options.currentIndex().candidates(parsed.prefix);
    if (candidates.length === 0) return { ok: false, code: "NOT_FOUND" };
    const nowMs = this.now();
    const cacheKey = oneShotHash("sha256", token, "base64");
    const cached = this.cache.get(cacheKey);
    if (cached) {
      const still = stillIndexed(candidates, cached);
      if (still) {
        return isExpired(still, nowMs)
          ? { ok: false, code: "EXPIRED" }
          : { ok: true, tenantId: still.tenantId, keyId: still.keyId, roles: still.roles };
      }
      this.cache.delete(cacheKey);
    }
    const live = candidates.filter((c) => !isExpired(c, nowMs));
    if (live.length === 0) return { ok: false, code: "EXPIRED" };
    // Concurrent first requests with the same key share one bcrypt run.
    const pending = this.inflight.get(cacheKey);
    if (pending) return pending;
    const run = this.guardedCompare(token, live, cacheKey, parsed.prefix, clientAddress).finally(() =>
      this.inflight.delete(cacheKey),
    );
    this.inflight.set(cacheKey, run);
    return run;
  }

  /**
   * Each bcrypt attempt spends a point of the prefix's and the address's budget
   * before it runs (so a parallel flood is bounded too); a success gives it back.
   */
  private async guardedCompare(
    token: string,
    live: readonly IndexedKey[],
    cacheKey: string,
    prefix: string,
    clientAddress: string | undefined,
  ): Promise<KeyVerification> {
    const failures = this.options.failures?.();
    if (!failures) return this.compareAll(token, live, cacheKey);
    const wait = await failures.begin(prefix, clientAddress);
    if (wait > 0) return { ok: false, code: "RATE_LIMITED", retryAfterMs: wait };
    const verdict = await this.compareAll(token, live, cacheKey);
    if (verdict.ok) await failures.succeeded(prefix, clientAddress);
    return verdict;
  }

  private async compareAll(token: string, live: readonly IndexedKey[], cacheKey: string): Promise<KeyVerification> {
    for (const candidate of live) {
      let matches = false;
      try {
        matches = await this.compare(token, candidate.hash);
      } catch {
        matches = false;
      }
      if (matches) {
        this.cache.set(cacheKey, { tenantId: candidate.tenantId, keyId: candidate.keyId, hash: candidate.hash });
        return { ok: true, tenantId: candidate.tenantId, keyId: candidate.keyId, roles: candidate.roles };
      }
    }
    return { ok: false, code: "INVALID" };
  }
}

/** The cached match, if the current index still holds that key with that hash (a loop: this runs per request). */
function stillIndexed(candidates: readonly IndexedKey[], cached: CachedMatch): IndexedKey | undefined {
  for (const c of candidates) {
    if (c.keyId === cached.keyId && c.hash === cached.hash && c.tenantId === cached.tenantId) return c;
  }
  return undefined;
}

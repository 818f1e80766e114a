import type { CacheRule } from "../policy/caller-access.ts";
import { sha256Hex } from "../snapshots/canonical.ts";
import type { CacheScope, ToolResultCache } from "./cached-call.ts";

/**
 * `resources/read` through the cache, when a policy's `resourceCache` names the URI.
 * Same namespacing as tool results — generation (snapshot hash: a new snapshot flushes
 * everything) + tenant + (`private`: key id | `tenant`) + sha256(uri) — under its own
 * `r:` space. The upstream's hints on the result only narrow the policy: `ttlMs`
 * shortens the TTL (0 = not cached), `cacheScope: "private"` stores the entry for
 * this caller alone even under a `tenant` rule. Errors are never cached.
 */
export async function cachedResourceRead(
  cache: ToolResultCache | undefined,
  rule: CacheRule | undefined,
  who: CacheScope,
  uri: string,
  run: () => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  if (!cache || !rule) return run();
  const base = `${cache.generation()}:${who.tenantId}`;
  const digest = sha256Hex(uri);
  const privateKey = `${base}:k:${who.keyId}:r:${digest}`;
  const tenantKey = `${base}:t:r:${digest}`;
  // A tenant rule looks in the shared space, then in this caller's own (an upstream-private entry).
  const lookups = rule.scope === "tenant" ? [tenantKey, privateKey] : [privateKey];
  for (const key of lookups) {
    const hit = await cache.store.get(key);
    if (hit !== undefined) return hit as Record<string, unknown>;
  }
  const result = await run();
  const hint = result.ttlMs;
  const ttlMs =
    typeof hint === "number" && Number.isFinite(hint) && hint >= 0 ? Math.min(rule.ttlMs, hint) : rule.ttlMs;
  if (ttlMs <= 0 || result.isError === true) return result;
  const shared = rule.scope === "tenant" && result.cacheScope !== "private";
  await cache.store.set(shared ? tenantKey : privateKey, result, ttlMs);
  return result;
}

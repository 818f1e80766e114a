import type { CacheRule } from "../policy/caller-access.ts";
import { canonicalJson, sha256Hex } from "../snapshots/canonical.ts";
import type { ResultStore } from "./result-cache.ts";

/** The cache as the request path sees it: a store plus the generation in force. */
export type ToolResultCache = {
  store: ResultStore;
  /**
   * Changes whenever the configuration does (the snapshot hash): a new snapshot,
   * a revoked key or a changed policy makes every older entry unreachable.
   */
  generation: () => string;
};

export type CacheScope = { tenantId: string; keyId: string };

/**
 * Calls through the cache when the caller's policy marks the tool cacheable.
 * Keys: generation + tenant + (key id for `private`, the tenant for `tenant` scope)
 * + sha256(tool, canonical arguments). Tool errors are never cached.
 */
export async function cachedCall(
  cache: ToolResultCache | undefined,
  rule: CacheRule | undefined,
  who: CacheScope,
  tool: string,
  args: unknown,
  run: () => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  if (!cache || !rule) return run();
  const scope = rule.scope === "private" ? `k:${who.keyId}` : "t";
  const digest = sha256Hex(canonicalJson({ tool, args: args ?? {} }));
  const key = `${cache.generation()}:${who.tenantId}:${scope}:${digest}`;
  const hit = await cache.store.get(key);
  if (hit !== undefined) return hit as Record<string, unknown>;
  const result = await run();
  if (result.isError !== true) await cache.store.set(key, result, rule.ttlMs);
  return result;
}

import type { Db } from "../db/open-database.ts";
import { stableJson } from "./json-line-diff.ts";
import { publishedPolicies } from "./published-policies.ts";

/** The tenant's policies, each marked published, changed since publish, or not yet published. */
export async function listPolicies(db: Db, tenantId: string) {
  const [rows, published] = await Promise.all([
    db.policy.findMany({ where: { tenantId }, orderBy: { name: "asc" } }),
    publishedPolicies(db, tenantId),
  ]);
  const byId = new Map(published.policies.map((policy) => [policy.id, policy]));
  return {
    publishedVersion: published.version,
    items: rows.map((row) => {
      const live = byId.get(row.id);
      const state = !live
        ? "unpublished"
        : stableJson(live.rules) === stableJson(row.rules) && live.name === row.name
          ? "published"
          : "changed";
      return {
        id: row.id,
        name: row.name,
        rules: row.rules,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        state,
      };
    }),
    /** Published policies deleted since: still enforced until the next publish. */
    removed: published.policies.filter((policy) => !rows.some((row) => row.id === policy.id)).map((p) => p.name),
  };
}

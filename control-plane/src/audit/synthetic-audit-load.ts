import { z } from "zod";
import type { Db } from "../db/open-database.ts";

/**
 * A large synthetic history for measurements (the console's first-content e2e, the bench's
 * audit-query figure): tenants, API keys and data-plane audit events written by
 * `generate_series` in a few statements, Postgres only (not PGlite: seconds, not minutes).
 *
 * The rows are valid for every reader (the audit viewer, its filters, exports, the overview):
 * uuid ids, kinds, decisions and codes of `audit.v1`. They are marked, never mistaken for
 * real traffic: nodeId `synthetic-load`, and each tenant's events sit on their own chain
 * `synthetic:<tenantId>` whose hashes are not computed (the chain verifier reports those
 * chains broken; no real tenant's chain is touched). The keys cannot authenticate (their
 * hash is no bcrypt hash of any secret).
 */
export const syntheticLoadSchema = z.object({
  /** Distinguishes this load's rows (ids, slugs) from another's in the same database. */
  tag: z.string().regex(/^[a-z0-9]{1,16}$/),
  tenants: z.number().int().min(1).max(1000),
  keysPerTenant: z.number().int().min(0).max(100_000),
  events: z.number().int().min(0).max(10_000_000),
  /** Events are spread evenly over this many days before now. */
  days: z.number().int().min(1).max(3650).default(30),
});
export type SyntheticLoad = z.input<typeof syntheticLoadSchema>;

export const SYNTHETIC_NODE_ID = "synthetic-load";
export const SYNTHETIC_TOOLS = ["echo", "add", "search", "fetch", "write"] as const;

export type SeededLoad = {
  tenantIds: string[];
  /** Key ids of the first tenant (`key_<tag>_<tenant>_<n>`). */
  keyId: (tenant: number, key: number) => string;
  /** Tool names as the client sees them (`<server>__<tool>`). */
  tools: string[];
};

export async function seedSyntheticLoad(db: Db, input: SyntheticLoad): Promise<SeededLoad> {
  const load = syntheticLoadSchema.parse(input);
  const { tag, tenants, keysPerTenant, events, days } = load;
  const tenantId = (n: number) => `ten_${tag}${n}`;
  // Every value below is an integer or matches /^[a-z0-9]+$/ (validated above): no injection.
  await db.$executeRawUnsafe(
    `INSERT INTO "Tenant" (id, slug, name, "updatedAt")
     SELECT 'ten_${tag}' || t, '${tag}-' || t, 'Synthetic ${tag} ' || t, now()
     FROM generate_series(1, ${tenants}) t`,
  );
  if (keysPerTenant > 0)
    await db.$executeRawUnsafe(
      `INSERT INTO "ApiKey" (id, "tenantId", name, prefix, hash, "expiresAt", "revokedAt", "lastUsedAt", "createdAt")
       SELECT 'key_${tag}_' || t || '_' || k, 'ten_${tag}' || t, 'synthetic key ' || k,
              substr(md5('${tag}/' || t || '/' || k), 1, 12), 'synthetic:' || md5('${tag}/' || t || '/' || k),
              CASE WHEN k % 7 = 0 THEN now() + interval '30 days' END,
              CASE WHEN k % 11 = 0 THEN now() - interval '1 day' END,
              CASE WHEN k % 3 = 0 THEN now() - (k || ' minutes')::interval END,
              now() - ((${keysPerTenant} - k) || ' seconds')::interval
       FROM generate_series(1, ${tenants}) t, generate_series(1, ${keysPerTenant}) k`,
    );
  if (events > 0) {
    const spacingMs = Math.max(1, Math.floor((days * 86_400_000) / events));
    // Event g: tenant g % tenants, key (g / tenants) % keysPerTenant (every key of every tenant
    // gets events); tool, decision and latency from a hash of g, independent of tenant and key:
    // 1 in 20 denied (authorization), 1 in 50 an upstream error, 1 in 100 slow.
    const tools = `(ARRAY['${SYNTHETIC_TOOLS.join("','")}'])[h % ${SYNTHETIC_TOOLS.length} + 1]`;
    await db.$executeRawUnsafe(
      `INSERT INTO "DataPlaneEvent" (id, "chainKey", seq, "prevHash", hash, "tenantId", "nodeId", "keyId", kind,
                                     method, server, tool, "originalTool", decision, code, "latencyMs",
                                     "argsSha256", "clientAddress", "occurredAt", "receivedAt")
       SELECT md5('${tag}/event/' || g)::uuid::text, 'synthetic:ten_${tag}' || t, g, repeat('0', 64), repeat('0', 64),
              'ten_${tag}' || t, '${SYNTHETIC_NODE_ID}',
              ${keysPerTenant > 0 ? `'key_${tag}_' || t || '_' || ((g / ${tenants}) % ${keysPerTenant} + 1)` : "NULL"},
              CASE WHEN d < 5 THEN 'authorization' ELSE 'call' END, 'tools/call', 'synthetic',
              'synthetic__' || ${tools}, ${tools},
              CASE WHEN d < 5 THEN 'deny' WHEN d < 7 THEN 'error' ELSE 'allow' END,
              CASE WHEN d < 5 THEN 'FORBIDDEN' WHEN d < 7 THEN 'UPSTREAM_ERROR' ELSE 'VALID' END,
              CASE WHEN d < 5 THEN NULL
                   ELSE round((1 + (h / 100) % 97 * 0.37 + CASE WHEN d = 99 THEN 250 ELSE 0 END)::numeric, 3)::float8 END,
              NULL, '127.0.0.1',
              now() - ((g * ${spacingMs}) || ' milliseconds')::interval,
              now() - ((g * ${spacingMs}) || ' milliseconds')::interval
       FROM (SELECT g, g % ${tenants} + 1 AS t, h, (h / ${SYNTHETIC_TOOLS.length}) % 100 AS d
             FROM (SELECT g::bigint AS g, hashint8(g::bigint)::bigint + 2147483648 AS h
                   FROM generate_series(1, ${events}) g) hashed) spread`,
    );
  }
  await db.$executeRawUnsafe(`ANALYZE "Tenant", "ApiKey", "DataPlaneEvent"`);
  return {
    tenantIds: Array.from({ length: tenants }, (_, index) => tenantId(index + 1)),
    keyId: (tenant, key) => `key_${tag}_${tenant}_${key}`,
    tools: SYNTHETIC_TOOLS.map((tool) => `synthetic__${tool}`),
  };
}

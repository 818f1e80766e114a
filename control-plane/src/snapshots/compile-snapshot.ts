import {
  canonicalJson,
  policyDocumentSchema,
  SNAPSHOT_SCHEMA,
  type SnapshotPayload,
  sha256Hex,
  snapshotPayloadSchema,
  type TenantEntry,
  type UpstreamEntry,
} from "@only1mcp/data-plane";
import type { Db } from "../db/open-database.ts";
import { getSecuritySettings } from "../security/get-security-settings.ts";
import { upstreamConfigSchema } from "../upstreams/upstream-config.ts";

export type CompiledState = {
  tenants: TenantEntry[];
  contentHash: string;
  /** The stored seed `security:` / `observability:` blocks, carried one-to-one. */
  security?: SnapshotPayload["security"];
  observability?: SnapshotPayload["observability"];
};

/**
 * Compiles what the data planes need from the database. Deterministic: every
 * list is ordered by id, so the same state gives the same canonical bytes and
 * the same contentHash. Revoked and expired keys are left out.
 */
export async function compileState(db: Db, now = new Date()): Promise<CompiledState> {
  const tenants = await db.tenant.findMany({
    orderBy: { id: "asc" },
    include: {
      apiKeys: {
        where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        orderBy: { id: "asc" },
      },
      upstreams: { where: { enabled: true }, orderBy: { id: "asc" } },
      policies: { orderBy: { id: "asc" } },
    },
  });
  const entries: TenantEntry[] = tenants.map((tenant) => ({
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    apiKeys: tenant.apiKeys.map((key) => ({
      id: key.id,
      prefix: key.prefix,
      hash: key.hash,
      expiresAt: key.expiresAt?.toISOString() ?? null,
      ...(key.roles.length > 0 ? { roles: key.roles } : {}),
    })),
    upstreams: tenant.upstreams.map(
      (server): UpstreamEntry => ({
        id: server.id,
        name: server.name,
        ...upstreamConfigSchema.parse({ transport: server.transport, ...(server.config as object) }),
      }),
    ),
    policies: tenant.policies.map((policy) => ({
      id: policy.id,
      name: policy.name,
      rules: policyDocumentSchema.parse(policy.rules),
    })),
  }));
  const { security, observability } = await getSecuritySettings(db);
  if (security === null) return { tenants: entries, contentHash: sha256Hex(canonicalJson(entries)) };
  // With settings, they are part of the state (a change is a new snapshot).
  const blocks = { security, ...(observability ? { observability } : {}) };
  return { tenants: entries, ...blocks, contentHash: sha256Hex(canonicalJson({ tenants: entries, ...blocks })) };
}

export function buildPayload(
  state: CompiledState,
  input: { version: number; issuedAt: Date; expiresAt: Date | null },
): SnapshotPayload {
  return snapshotPayloadSchema.parse({
    schema: SNAPSHOT_SCHEMA,
    version: input.version,
    issuedAt: input.issuedAt.toISOString(),
    expiresAt: input.expiresAt?.toISOString() ?? null,
    tenants: state.tenants,
    ...(state.security ? { security: state.security } : {}),
    ...(state.observability ? { observability: state.observability } : {}),
  });
}

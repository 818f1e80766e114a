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
import type { JWK } from "jose";
import type { Db } from "../db/open-database.ts";
import type { SecretsKey } from "../secrets/secrets-key.ts";
import { upstreamConfigSchema } from "../upstreams/upstream-config.ts";
import { sealUpstreamSecrets } from "./seal-upstream-secrets.ts";

export type CompiledState = {
  tenants: TenantEntry[];
  contentHash: string;
  /** Signing keys the snapshot announces (rotation); part of the contentHash. */
  trustedKeys?: JWK[];
};

/**
 * Compiles what the data planes need from the database. Deterministic: every
 * list is ordered by id, so the same state gives the same contentHash. Revoked and
 * expired keys are left out. Upstream env and header values are sealed
 * (seal-upstream-secrets.ts) with a fresh IV, so the contentHash covers each sealed
 * secret's fingerprint, not its ciphertext.
 */
export async function compileState(
  db: Db,
  now = new Date(),
  options: { secretsKey?: SecretsKey; trustedKeys?: readonly JWK[] } = {},
): Promise<CompiledState> {
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
  const entries: TenantEntry[] = [];
  for (const tenant of tenants) {
    const sealed = await sealUpstreamSecrets(
      db,
      tenant.id,
      tenant.upstreams.map(
        (server): UpstreamEntry => ({
          id: server.id,
          name: server.name,
          ...upstreamConfigSchema.parse({ transport: server.transport, ...(server.config as object) }),
        }),
      ),
      options.secretsKey,
    );
    entries.push({
      id: tenant.id,
      slug: tenant.slug,
      name: tenant.name,
      apiKeys: tenant.apiKeys.map((key) => ({
        id: key.id,
        prefix: key.prefix,
        hash: key.hash,
        expiresAt: key.expiresAt?.toISOString() ?? null,
      })),
      upstreams: sealed.upstreams,
      policies: tenant.policies.map((policy) => ({
        id: policy.id,
        name: policy.name,
        rules: policyDocumentSchema.parse(policy.rules),
      })),
      ...(sealed.secrets ? { secrets: sealed.secrets } : {}),
    });
  }
  const hashed = entries.map(({ secrets, ...entry }) =>
    secrets
      ? { ...entry, secrets: Object.fromEntries(Object.entries(secrets).map(([n, s]) => [n, s.fingerprint])) }
      : entry,
  );
  if (!options.trustedKeys) return { tenants: entries, contentHash: sha256Hex(canonicalJson(hashed)) };
  // In the keyring's order, active key first: activating the staged key changes the hash too.
  const trustedKeys = options.trustedKeys.map(({ kty, crv, x, kid }) => ({ kty, crv, x, kid }));
  return {
    tenants: entries,
    trustedKeys,
    contentHash: sha256Hex(canonicalJson({ tenants: hashed, trustedKeys: trustedKeys.map((key) => key.kid) })),
  };
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
    ...(state.trustedKeys ? { trustedKeys: state.trustedKeys } : {}),
  });
}

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
import { getSecuritySettings } from "../security/get-security-settings.ts";
import { upstreamConfigSchema } from "../upstreams/upstream-config.ts";
import { sealUpstreamSecrets } from "./seal-upstream-secrets.ts";

export type CompiledState = {
  tenants: TenantEntry[];
  contentHash: string;
  /** The stored seed `security:` / `observability:` blocks, carried one-to-one. */
  security?: SnapshotPayload["security"];
  observability?: SnapshotPayload["observability"];
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
        ...(key.roles.length > 0 ? { roles: key.roles } : {}),
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
  // Sealed secrets are re-encrypted on every compile: the hash sees their fingerprints.
  const hashed = entries.map(({ secrets, ...entry }) =>
    secrets
      ? { ...entry, secrets: Object.fromEntries(Object.entries(secrets).map(([n, s]) => [n, s.fingerprint])) }
      : entry,
  );
  // The stored seed blocks, when present, are part of the state (a change is a new snapshot).
  const { security, observability } = await getSecuritySettings(db);
  const blocks = security === null ? {} : { security, ...(observability ? { observability } : {}) };
  // In the keyring's order, active key first: activating the staged key changes the hash too.
  const trustedKeys = options.trustedKeys?.map(({ kty, crv, x, kid }) => ({ kty, crv, x, kid }));
  const announced = trustedKeys ? { trustedKeys } : {};
  return {
    tenants: entries,
    ...blocks,
    ...announced,
    contentHash: sha256Hex(
      canonicalJson({
        tenants: hashed,
        ...blocks,
        ...(trustedKeys ? { trustedKeys: trustedKeys.map((key) => key.kid) } : {}),
      }),
    ),
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
    ...(state.security ? { security: state.security } : {}),
    ...(state.observability ? { observability: state.observability } : {}),
    ...(state.trustedKeys ? { trustedKeys: state.trustedKeys } : {}),
  });
}

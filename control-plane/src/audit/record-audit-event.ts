import type { Prisma } from "../db/generated/client.ts";
import type { Db } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";

/** Admin audit events, recorded in the same transaction as the change they describe. */
export const AdminAuditAction = {
  tenantCreated: "tenant.created",
  operatorCreated: "operator.created",
  apiKeyIssued: "api_key.issued",
  operatorTokenIssued: "operator_token.issued",
  upstreamCreated: "upstream.created",
  snapshotPublished: "snapshot.published",
  snapshotRestored: "snapshot.restored",
  rolloutPromoted: "rollout.promoted",
  rolloutRolledBack: "rollout.rolled_back",
  signingKeyStaged: "signing_key.staged",
  signingKeyActivated: "signing_key.activated",
  auditRetentionApplied: "audit.retention_applied",
  reportRequested: "report.requested",
  operatorDataExported: "operator.data_exported",
  operatorErased: "operator.erased",
  secretStored: "secret.stored",
  // Console and API changes (issue 6).
  tenantUpdated: "tenant.updated",
  tenantDeleted: "tenant.deleted",
  tenantRetentionChanged: "tenant.retention_changed",
  memberAdded: "member.added",
  memberRoleChanged: "member.role_changed",
  memberRemoved: "member.removed",
  apiKeyRotated: "api_key.rotated",
  apiKeyRevoked: "api_key.revoked",
  policyCreated: "policy.created",
  policyUpdated: "policy.updated",
  policyDeleted: "policy.deleted",
  upstreamUpdated: "upstream.updated",
  upstreamDeleted: "upstream.deleted",
  operatorTokenRevoked: "operator_token.revoked",
  operatorSignedOutEverywhere: "operator.signed_out_everywhere",
  securitySettingsUpdated: "security_settings.updated",
} as const;
export type AdminAuditAction = (typeof AdminAuditAction)[keyof typeof AdminAuditAction];

export type Actor = { kind: "operator"; operatorId: string } | { kind: "system"; name: string };

export function actorLabel(actor: Actor): string {
  return actor.kind === "operator" ? actor.operatorId : `system:${actor.name}`;
}

export async function recordAdminEvent(
  db: Db,
  input: { actor: Actor; action: AdminAuditAction; tenantId?: string | null; detail?: Prisma.InputJsonValue },
): Promise<void> {
  await db.auditEvent.create({
    data: {
      id: generateId("evt"),
      kind: "admin",
      actor: actorLabel(input.actor),
      action: input.action,
      tenantId: input.tenantId ?? null,
      decision: "applied",
      detail: input.detail ?? {},
    },
  });
}

import { type Actor, AdminAuditAction, actorLabel, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Prisma } from "../db/generated/client.ts";
import type { Database } from "../db/open-database.ts";

/**
 * GDPR Art. 15/20: everything stored about one operator, as JSON. Secrets (password
 * and token hashes) are not personal data to hand out and stay out.
 */
export async function exportOperatorData(db: Database, operatorId: string, actor: Actor) {
  const operator = await db.operator.findUnique({
    where: { id: operatorId },
    include: {
      memberships: { select: { tenantId: true, role: true, createdAt: true } },
      tokens: {
        select: {
          id: true,
          name: true,
          prefix: true,
          createdAt: true,
          lastUsedAt: true,
          expiresAt: true,
          revokedAt: true,
        },
      },
    },
  });
  if (!operator) return undefined;
  const adminEvents = await db.auditEvent.findMany({
    where: { actor: operatorId },
    orderBy: { createdAt: "asc" },
    select: { id: true, action: true, tenantId: true, createdAt: true, detail: true },
  });
  await recordAdminEvent(db, { actor, action: AdminAuditAction.operatorDataExported, detail: { operatorId } });
  return {
    exportedAt: new Date().toISOString(),
    operator: {
      id: operator.id,
      email: operator.email,
      name: operator.name,
      createdAt: operator.createdAt.toISOString(),
      hasPassword: operator.passwordHash !== null,
    },
    memberships: operator.memberships,
    tokens: operator.tokens,
    adminActions: adminEvents,
  };
}

/**
 * GDPR Art. 17: erases one operator's personal data. Name and e-mail are replaced,
 * the password, tokens and roles removed; audit records keep the pseudonymous
 * operator id (the accountability record the controller must keep) and lose any
 * e-mail they carried. Idempotent.
 */
export async function eraseOperatorData(db: Database, operatorId: string, actor: Actor) {
  return db.$transaction(async (tx) => {
    const operator = await tx.operator.findUnique({ where: { id: operatorId } });
    if (!operator) return { ok: false as const, code: "NOT_FOUND" as const };
    const email = operator.email;
    const tokens = await tx.operatorToken.deleteMany({ where: { operatorId } });
    const memberships = await tx.membership.deleteMany({ where: { operatorId } });
    await tx.operator.update({
      where: { id: operatorId },
      data: { email: `erased-${operatorId}@erased.invalid`, name: "Erased operator", passwordHash: null },
    });
    // Audit details that mention the address (operator.created) get it masked.
    const mentioning = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM "AuditEvent" WHERE detail::text LIKE ${`%${email.replaceAll("%", "\\%").replaceAll("_", "\\_")}%`}`;
    for (const { id } of mentioning) {
      const event = await tx.auditEvent.findUniqueOrThrow({ where: { id } });
      const masked = JSON.parse(JSON.stringify(event.detail).replaceAll(email, "[erased]")) as Prisma.InputJsonValue;
      await tx.auditEvent.update({ where: { id }, data: { detail: masked } });
    }
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.operatorErased,
      detail: { operatorId, tokensRemoved: tokens.count, rolesRemoved: memberships.count, by: actorLabel(actor) },
    });
    return {
      ok: true as const,
      tokensRemoved: tokens.count,
      rolesRemoved: memberships.count,
      auditRecordsMasked: mentioning.length,
    };
  });
}

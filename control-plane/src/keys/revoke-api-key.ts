import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";

/** Revokes a key (idempotent); data planes stop accepting it once the next snapshot applies. */
export async function revokeApiKey(
  db: Db | Database,
  input: { tenantId: string; keyId: string },
  actor: Actor,
): Promise<Outcome<{ id: string; revokedAt: Date }>> {
  return inTransaction(db, async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: input.keyId, tenantId: input.tenantId } });
    if (!key) return fail("NOT_FOUND", "No such API key in this tenant.");
    if (key.revokedAt) return ok({ id: key.id, revokedAt: key.revokedAt });
    const revokedAt = new Date();
    await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt } });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.apiKeyRevoked,
      tenantId: key.tenantId,
      detail: { keyId: key.id, prefix: key.prefix },
    });
    return ok({ id: key.id, revokedAt });
  });
}

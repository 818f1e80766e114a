import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";

/** Revokes one of the operator's tokens; another operator's token is NOT_FOUND. */
export async function revokeOperatorToken(
  db: Db | Database,
  input: { operatorId: string; tokenId: string },
  actor: Actor,
): Promise<Outcome<{ id: string; revokedAt: Date }>> {
  return inTransaction(db, async (tx) => {
    const token = await tx.operatorToken.findFirst({ where: { id: input.tokenId, operatorId: input.operatorId } });
    if (!token) return fail("NOT_FOUND", "No such operator token.");
    const revokedAt = token.revokedAt ?? new Date();
    await tx.operatorToken.update({ where: { id: token.id }, data: { revokedAt } });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.operatorTokenRevoked,
      detail: { tokenId: token.id, prefix: token.prefix },
    });
    return ok({ id: token.id, revokedAt });
  });
}

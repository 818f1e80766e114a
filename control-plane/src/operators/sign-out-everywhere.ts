import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";

/** Ends every console session of the operator: sessions carry the version they began with. */
export async function signOutEverywhere(db: Db | Database, operatorId: string, actor: Actor): Promise<number> {
  return inTransaction(db, async (tx) => {
    const operator = await tx.operator.update({
      where: { id: operatorId },
      data: { sessionVersion: { increment: 1 } },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.operatorSignedOutEverywhere,
      detail: { operatorId },
    });
    return operator.sessionVersion;
  });
}

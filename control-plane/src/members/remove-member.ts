import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";

export async function removeMember(
  db: Db | Database,
  input: { tenantId: string; memberId: string },
  actor: Actor,
): Promise<Outcome<{ id: string }>> {
  return inTransaction(db, async (tx) => {
    const membership = await tx.membership.findFirst({ where: { id: input.memberId, tenantId: input.tenantId } });
    if (!membership) return fail("NOT_FOUND", "No such member in this tenant.");
    await tx.membership.delete({ where: { id: membership.id } });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.memberRemoved,
      tenantId: input.tenantId,
      detail: { memberId: membership.id, operatorId: membership.operatorId, role: membership.role },
    });
    return ok({ id: membership.id });
  });
}

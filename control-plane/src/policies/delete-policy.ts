import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";

export async function deletePolicy(
  db: Db | Database,
  input: { tenantId: string; policyId: string },
  actor: Actor,
): Promise<Outcome<{ id: string }>> {
  return inTransaction(db, async (tx) => {
    const policy = await tx.policy.findFirst({ where: { id: input.policyId, tenantId: input.tenantId } });
    if (!policy) return fail("NOT_FOUND", "No such policy in this tenant.");
    await tx.policy.delete({ where: { id: policy.id } });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.policyDeleted,
      tenantId: input.tenantId,
      detail: { policyId: policy.id, name: policy.name },
    });
    return ok({ id: policy.id });
  });
}

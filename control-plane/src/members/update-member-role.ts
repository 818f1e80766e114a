import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { fail, ok } from "../outcome/outcome.ts";
import { type UpdateMemberBody, updateMemberBody } from "./member-schemas.ts";

export async function updateMemberRole(
  db: Db | Database,
  input: { tenantId: string; memberId: string } & UpdateMemberBody,
  actor: Actor,
) {
  const { role } = updateMemberBody.parse({ role: input.role });
  return inTransaction(db, async (tx) => {
    // Only the tenant's own memberships: a role on every tenant is not changed from a tenant.
    const membership = await tx.membership.findFirst({ where: { id: input.memberId, tenantId: input.tenantId } });
    if (!membership) return fail("NOT_FOUND", "No such member in this tenant.");
    const updated = await tx.membership.update({ where: { id: membership.id }, data: { role } });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.memberRoleChanged,
      tenantId: input.tenantId,
      detail: { memberId: membership.id, operatorId: membership.operatorId, from: membership.role, to: role },
    });
    return ok({ id: updated.id, role: updated.role });
  });
}

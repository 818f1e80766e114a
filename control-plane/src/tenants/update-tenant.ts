import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { fail, ok } from "../outcome/outcome.ts";
import { type UpdateTenantBody, updateTenantBody } from "./tenant-schemas.ts";

export async function updateTenant(db: Db | Database, input: { tenantId: string } & UpdateTenantBody, actor: Actor) {
  const body = updateTenantBody.parse({ name: input.name });
  return inTransaction(db, async (tx) => {
    const existing = await tx.tenant.findUnique({ where: { id: input.tenantId } });
    if (!existing) return fail("NOT_FOUND", "No such tenant.");
    const tenant = await tx.tenant.update({ where: { id: existing.id }, data: body });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.tenantUpdated,
      tenantId: tenant.id,
      detail: { before: { name: existing.name }, after: body },
    });
    return ok(tenant);
  });
}

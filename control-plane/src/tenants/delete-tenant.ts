import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";

/** Deletes a tenant with its keys, policies, upstreams and memberships (takes effect on the next publish). */
export async function deleteTenant(
  db: Db | Database,
  input: { tenantId: string },
  actor: Actor,
): Promise<Outcome<{ id: string }>> {
  return inTransaction(db, async (tx) => {
    const tenant = await tx.tenant.findUnique({ where: { id: input.tenantId } });
    if (!tenant) return fail("NOT_FOUND", "No such tenant.");
    await tx.tenant.delete({ where: { id: tenant.id } });
    // Recorded without the tenant link: the row is gone, the event stays.
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.tenantDeleted,
      detail: { tenantId: tenant.id, slug: tenant.slug, name: tenant.name },
    });
    return ok({ id: tenant.id });
  });
}

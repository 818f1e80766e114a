import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { fail, ok } from "../outcome/outcome.ts";
import { type SetAuditRetentionBody, setAuditRetentionBody } from "./tenant-schemas.ts";

/**
 * Sets how many days the tenant's data-plane audit events are kept (365 by default);
 * the repeatable `audit.retention` job removes what is older on its next run.
 */
export async function setAuditRetention(
  db: Db | Database,
  input: { tenantId: string } & SetAuditRetentionBody,
  actor: Actor,
) {
  const { days } = setAuditRetentionBody.parse({ days: input.days });
  return inTransaction(db, async (tx) => {
    const existing = await tx.tenant.findUnique({ where: { id: input.tenantId } });
    if (!existing) return fail("NOT_FOUND", "No such tenant.");
    const tenant = await tx.tenant.update({ where: { id: existing.id }, data: { auditRetentionDays: days } });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.tenantRetentionChanged,
      tenantId: tenant.id,
      detail: { before: { auditRetentionDays: existing.auditRetentionDays }, after: { auditRetentionDays: days } },
    });
    return ok({ tenantId: tenant.id, auditRetentionDays: tenant.auditRetentionDays });
  });
}

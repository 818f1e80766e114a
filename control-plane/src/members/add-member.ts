import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";
import { fail, ok } from "../outcome/outcome.ts";
import { type AddMemberBody, addMemberBody } from "./member-schemas.ts";

/**
 * Gives an operator (found by email, or created without a password: they sign in by
 * SSO) a role in the tenant. A second role in the same tenant is a CONFLICT.
 */
export async function addMember(db: Db | Database, input: { tenantId: string } & AddMemberBody, actor: Actor) {
  const body = addMemberBody.parse({ email: input.email, name: input.name, role: input.role });
  const email = body.email.toLowerCase();
  return inTransaction(db, async (tx) => {
    const tenant = await tx.tenant.findUnique({ where: { id: input.tenantId } });
    if (!tenant) return fail("NOT_FOUND", "No such tenant.");
    const operator =
      (await tx.operator.findUnique({ where: { email } })) ??
      (await tx.operator.create({ data: { id: generateId("op"), email, name: body.name ?? email } }));
    const existing = await tx.membership.findFirst({ where: { operatorId: operator.id, tenantId: tenant.id } });
    if (existing) return fail("CONFLICT", `${email} already holds a role in this tenant.`);
    const membership = await tx.membership.create({
      data: { id: generateId("mem"), operatorId: operator.id, tenantId: tenant.id, role: body.role },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.memberAdded,
      tenantId: tenant.id,
      detail: { memberId: membership.id, operatorId: operator.id, email, role: body.role },
    });
    return ok({ id: membership.id, role: membership.role, operator: { id: operator.id, email, name: operator.name } });
  });
}

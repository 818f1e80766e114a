import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Role } from "../db/generated/client.ts";
import type { Db } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";
import { hashSecret } from "../keys/secret-hash.ts";

/** Creates an operator with one membership; tenantId null means every tenant. */
export async function createOperator(
  db: Db,
  input: { email: string; name: string; password?: string; role: Role; tenantId?: string | null },
  actor: Actor,
): Promise<{ id: string }> {
  const id = generateId("op");
  await db.operator.create({
    data: {
      id,
      email: input.email.toLowerCase(),
      name: input.name,
      passwordHash: input.password ? await hashSecret(input.password) : null,
      memberships: { create: { id: generateId("mem"), role: input.role, tenantId: input.tenantId ?? null } },
    },
  });
  await recordAdminEvent(db, {
    actor,
    action: AdminAuditAction.operatorCreated,
    tenantId: input.tenantId ?? null,
    detail: { operatorId: id, email: input.email.toLowerCase(), role: input.role },
  });
  return { id };
}

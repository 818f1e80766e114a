import { z } from "zod";
import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Db } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";

export const createTenantInput = z.strictObject({
  slug: z
    .string()
    .min(2)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and '-'"),
  name: z.string().trim().min(1).max(200),
});

export async function createTenant(db: Db, input: z.input<typeof createTenantInput>, actor: Actor) {
  const data = createTenantInput.parse(input);
  const tenant = await db.tenant.create({ data: { id: generateId("ten"), ...data } });
  await recordAdminEvent(db, {
    actor,
    action: AdminAuditAction.tenantCreated,
    tenantId: tenant.id,
    detail: { slug: tenant.slug, name: tenant.name },
  });
  return tenant;
}

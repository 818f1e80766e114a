import { z } from "zod";
import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";
import { fail, isUniqueViolation, type Outcome, ok } from "../outcome/outcome.ts";
import { tenantSlug } from "./tenant-schemas.ts";

export const createTenantInput = z.strictObject({
  slug: tenantSlug,
  name: z.string().trim().min(1).max(200),
});

export async function createTenant(db: Db | Database, input: z.input<typeof createTenantInput>, actor: Actor) {
  const data = createTenantInput.parse(input);
  return inTransaction(db, async (tx) => {
    const tenant = await tx.tenant.create({ data: { id: generateId("ten"), ...data } });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.tenantCreated,
      tenantId: tenant.id,
      detail: { slug: tenant.slug, name: tenant.name },
    });
    return tenant;
  });
}

type Tenant = Awaited<ReturnType<typeof createTenant>>;

/** createTenant for the API: a taken slug is a CONFLICT outcome, not an exception. */
export async function tryCreateTenant(
  db: Db | Database,
  input: z.input<typeof createTenantInput>,
  actor: Actor,
): Promise<Outcome<Tenant>> {
  try {
    return ok(await createTenant(db, input, actor));
  } catch (error) {
    if (isUniqueViolation(error)) return fail("CONFLICT", `The slug ${input.slug} is taken.`);
    throw error;
  }
}

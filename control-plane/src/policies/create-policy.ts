import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Prisma } from "../db/generated/client.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";
import { maskSecrets } from "../masking/mask-secrets.ts";
import { fail, ok } from "../outcome/outcome.ts";
import { type CreatePolicyBody, createPolicyBody } from "./policy-schemas.ts";

export async function createPolicy(db: Db | Database, input: { tenantId: string } & CreatePolicyBody, actor: Actor) {
  const parsed = createPolicyBody.safeParse({ name: input.name, rules: input.rules });
  if (!parsed.success) return fail("INVALID", parsed.error.issues.map((issue) => issue.message).join("; "));
  const { name, rules } = parsed.data;
  return inTransaction(db, async (tx) => {
    const tenant = await tx.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } });
    if (!tenant) return fail("NOT_FOUND", "No such tenant.");
    if (await tx.policy.findFirst({ where: { tenantId: tenant.id, name }, select: { id: true } })) {
      return fail("CONFLICT", `A policy named ${name} exists.`);
    }
    const policy = await tx.policy.create({
      data: { id: generateId("pol"), tenantId: tenant.id, name, rules: rules as Prisma.InputJsonValue },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.policyCreated,
      tenantId: tenant.id,
      detail: { policyId: policy.id, name, rules: maskSecrets(rules) as Prisma.InputJsonValue },
    });
    return ok(policy);
  });
}

import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Prisma } from "../db/generated/client.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { maskSecrets } from "../masking/mask-secrets.ts";
import { fail, ok } from "../outcome/outcome.ts";
import { type UpdatePolicyBody, updatePolicyBody } from "./policy-schemas.ts";

export async function updatePolicy(
  db: Db | Database,
  input: { tenantId: string; policyId: string } & UpdatePolicyBody,
  actor: Actor,
) {
  const parsed = updatePolicyBody.safeParse({ name: input.name, rules: input.rules });
  if (!parsed.success) return fail("INVALID", parsed.error.issues.map((issue) => issue.message).join("; "));
  const body = parsed.data;
  return inTransaction(db, async (tx) => {
    const existing = await tx.policy.findFirst({ where: { id: input.policyId, tenantId: input.tenantId } });
    if (!existing) return fail("NOT_FOUND", "No such policy in this tenant.");
    if (body.name && body.name !== existing.name) {
      const clash = await tx.policy.findFirst({ where: { tenantId: input.tenantId, name: body.name } });
      if (clash) return fail("CONFLICT", `A policy named ${body.name} exists.`);
    }
    const policy = await tx.policy.update({
      where: { id: existing.id },
      data: {
        ...(body.name ? { name: body.name } : {}),
        ...(body.rules ? { rules: body.rules as Prisma.InputJsonValue } : {}),
      },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.policyUpdated,
      tenantId: input.tenantId,
      detail: {
        policyId: policy.id,
        name: policy.name,
        before: maskSecrets(existing.rules) as Prisma.InputJsonValue,
        after: maskSecrets(policy.rules) as Prisma.InputJsonValue,
      },
    });
    return ok(policy);
  });
}

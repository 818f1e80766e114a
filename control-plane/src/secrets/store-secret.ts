import { z } from "zod";
import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Database } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";
import { openSecret, sealSecret } from "./secret-box.ts";
import { storeSecretBody } from "./secret-schemas.ts";
import type { SecretsKey } from "./secrets-key.ts";

export const storeSecretInput = storeSecretBody.extend({ tenantId: z.string().min(1) });

/** What snapshots and upstream configs carry instead of a secret's value. */
export function secretReference(name: string): string {
  return `secret://${name}`;
}

const additionalData = (tenantId: string, name: string) => `only1mcp-secret:${tenantId}:${name}`;

/** Creates or replaces a tenant's secret; only the ciphertext is stored, the audit event names it only. */
export async function storeSecret(
  db: Database,
  key: SecretsKey,
  input: z.input<typeof storeSecretInput>,
  actor: Actor,
): Promise<{ id: string; reference: string }> {
  const data = storeSecretInput.parse(input);
  const ciphertext = sealSecret(key, data.value, additionalData(data.tenantId, data.name));
  return db.$transaction(async (tx) => {
    const row = await tx.secret.upsert({
      where: { tenantId_name: { tenantId: data.tenantId, name: data.name } },
      create: { id: generateId("sec"), tenantId: data.tenantId, name: data.name, ciphertext, keyId: key.keyId },
      update: { ciphertext, keyId: key.keyId },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.secretStored,
      tenantId: data.tenantId,
      detail: { secretId: row.id, name: data.name, value: "[masked]" },
    });
    return { id: row.id, reference: secretReference(data.name) };
  });
}

/** storeSecret for the API: an unknown tenant is an outcome. */
export async function tryStoreSecret(
  db: Database,
  key: SecretsKey,
  input: z.input<typeof storeSecretInput>,
  actor: Actor,
): Promise<Outcome<{ id: string; reference: string }>> {
  const tenant = await db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } });
  if (!tenant) return fail("NOT_FOUND", "No such tenant.");
  return ok(await storeSecret(db, key, input, actor));
}

/** The tenant's secrets by name, with their references; never a value. */
export async function listSecrets(db: Pick<Database, "secret">, tenantId: string) {
  const rows = await db.secret.findMany({
    where: { tenantId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, createdAt: true, updatedAt: true },
  });
  return { items: rows.map((row) => ({ ...row, reference: secretReference(row.name) })) };
}

/** Opens a stored row (the snapshot compiler seals the plaintext again for the fleet). */
export function openStoredSecret(key: SecretsKey, row: { tenantId: string; name: string; ciphertext: string }) {
  return openSecret(key, row.ciphertext, additionalData(row.tenantId, row.name));
}

/** The plaintext, for delivering to a data plane; never logged or returned by the API. */
export async function revealSecret(db: Database, key: SecretsKey, input: { tenantId: string; name: string }) {
  const row = await db.secret.findUnique({ where: { tenantId_name: { tenantId: input.tenantId, name: input.name } } });
  if (!row) return { ok: false as const, code: "NOT_FOUND" as const };
  return openSecret(key, row.ciphertext, additionalData(input.tenantId, input.name));
}

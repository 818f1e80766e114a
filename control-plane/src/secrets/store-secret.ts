import { z } from "zod";
import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Database } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";
import { openSecret, sealSecret } from "./secret-box.ts";
import type { SecretsKey } from "./secrets-key.ts";

const secretName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.-]+$/);

export const storeSecretInput = z.strictObject({
  tenantId: z.string().min(1),
  name: secretName,
  value: z
    .string()
    .min(1)
    .max(64 * 1024),
});

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

import { formatApiKey } from "@only1mcp/data-plane";
import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { generateId, randomAlphanumeric, randomSecret } from "../ids/generate-id.ts";
import { hashSecret } from "./secret-hash.ts";

export type IssuedApiKey = {
  id: string;
  prefix: string;
  /** The whole key: shown once, never stored. */
  key: string;
  name: string;
  expiresAt: Date | null;
  roles: string[];
};

/** Issues a tenant API key; only its bcrypt hash is stored. */
export async function issueApiKey(
  db: Db | Database,
  input: { tenantId: string; name: string; expiresAt?: Date | null; roles?: readonly string[] },
  actor: Actor,
): Promise<IssuedApiKey> {
  const prefix = randomAlphanumeric(12);
  const key = formatApiKey(prefix, randomSecret(30));
  const id = generateId("key");
  const hash = await hashSecret(key);
  const expiresAt = input.expiresAt ?? null;
  const roles = [...new Set(input.roles ?? [])].sort();
  await inTransaction(db, async (tx) => {
    await tx.apiKey.create({
      data: { id, tenantId: input.tenantId, name: input.name, prefix, hash, expiresAt, roles },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.apiKeyIssued,
      tenantId: input.tenantId,
      detail: { keyId: id, name: input.name, prefix, expiresAt: expiresAt?.toISOString() ?? null, roles },
    });
  });
  return { id, prefix, key, name: input.name, expiresAt, roles };
}

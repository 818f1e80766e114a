import { formatApiKey } from "@only1mcp/data-plane";
import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Db } from "../db/open-database.ts";
import { generateId, randomAlphanumeric, randomSecret } from "../ids/generate-id.ts";
import { hashSecret } from "./secret-hash.ts";

export type IssuedApiKey = {
  id: string;
  prefix: string;
  /** The whole key: shown once, never stored. */
  key: string;
};

/** Issues a tenant API key; only its bcrypt hash is stored. */
export async function issueApiKey(
  db: Db,
  input: { tenantId: string; name: string; expiresAt?: Date | null },
  actor: Actor,
): Promise<IssuedApiKey> {
  const prefix = randomAlphanumeric(12);
  const key = formatApiKey(prefix, randomSecret(30));
  const id = generateId("key");
  await db.apiKey.create({
    data: {
      id,
      tenantId: input.tenantId,
      name: input.name,
      prefix,
      hash: await hashSecret(key),
      expiresAt: input.expiresAt ?? null,
    },
  });
  await recordAdminEvent(db, {
    actor,
    action: AdminAuditAction.apiKeyIssued,
    tenantId: input.tenantId,
    detail: { keyId: id, name: input.name, prefix },
  });
  return { id, prefix, key };
}

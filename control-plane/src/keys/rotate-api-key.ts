import { formatApiKey } from "@only1mcp/data-plane";
import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { generateId, randomAlphanumeric, randomSecret } from "../ids/generate-id.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";
import type { IssuedApiKey } from "./issue-api-key.ts";
import { hashSecret } from "./secret-hash.ts";

/**
 * Replaces a key: a new key with the same name and expiry policy, and the old key now
 * expires after the overlap window (clients switch over meanwhile; 0 ends it now).
 */
export async function rotateApiKey(
  db: Db | Database,
  input: { tenantId: string; keyId: string; overlapSeconds: number },
  actor: Actor,
  now = new Date(),
): Promise<Outcome<IssuedApiKey & { previous: { id: string; expiresAt: Date } }>> {
  const prefix = randomAlphanumeric(12);
  const key = formatApiKey(prefix, randomSecret(30));
  const hash = await hashSecret(key);
  return inTransaction(db, async (tx) => {
    const old = await tx.apiKey.findFirst({ where: { id: input.keyId, tenantId: input.tenantId } });
    if (!old) return fail("NOT_FOUND", "No such API key in this tenant.");
    if (old.revokedAt) return fail("CONFLICT", "A revoked key cannot be rotated.");
    if (old.expiresAt && old.expiresAt <= now) return fail("CONFLICT", "An expired key cannot be rotated.");
    const overlapEnds = new Date(now.getTime() + input.overlapSeconds * 1000);
    const previousExpiresAt = old.expiresAt && old.expiresAt < overlapEnds ? old.expiresAt : overlapEnds;
    // The new key lives as long as the old one was meant to, counted from now.
    const lifetime = old.expiresAt ? old.expiresAt.getTime() - old.createdAt.getTime() : null;
    const expiresAt = lifetime === null ? null : new Date(now.getTime() + lifetime);
    const id = generateId("key");
    await tx.apiKey.update({ where: { id: old.id }, data: { expiresAt: previousExpiresAt } });
    // The new key keeps the old one's roles (same policies apply to it).
    await tx.apiKey.create({
      data: { id, tenantId: old.tenantId, name: old.name, prefix, hash, expiresAt, roles: old.roles },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.apiKeyRotated,
      tenantId: old.tenantId,
      detail: {
        keyId: id,
        prefix,
        previousKeyId: old.id,
        previousPrefix: old.prefix,
        previousExpiresAt: previousExpiresAt.toISOString(),
      },
    });
    return ok({
      id,
      prefix,
      key,
      name: old.name,
      expiresAt,
      roles: old.roles,
      previous: { id: old.id, expiresAt: previousExpiresAt },
    });
  });
}

import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import { inTransaction } from "../db/in-transaction.ts";
import type { Database, Db } from "../db/open-database.ts";
import { generateId, randomAlphanumeric, randomSecret } from "../ids/generate-id.ts";
import { hashSecret } from "../keys/secret-hash.ts";
import { formatOperatorToken } from "./operator-token-format.ts";

/** Issues an operator API token for automation; the token is returned once, only its hash is stored. */
export async function issueOperatorToken(
  db: Db | Database,
  input: { operatorId: string; name: string; expiresAt?: Date | null; readOnly?: boolean; tenantId?: string | null },
  actor: Actor,
): Promise<{ id: string; token: string; prefix: string; expiresAt: Date | null }> {
  const prefix = randomAlphanumeric(12);
  const token = formatOperatorToken(prefix, randomSecret(30));
  const id = generateId("tok");
  const hash = await hashSecret(token);
  const expiresAt = input.expiresAt ?? null;
  await inTransaction(db, async (tx) => {
    await tx.operatorToken.create({
      data: {
        id,
        operatorId: input.operatorId,
        name: input.name,
        prefix,
        hash,
        expiresAt,
        readOnly: input.readOnly ?? false,
        tenantId: input.tenantId ?? null,
      },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.operatorTokenIssued,
      tenantId: input.tenantId ?? null,
      detail: {
        tokenId: id,
        operatorId: input.operatorId,
        name: input.name,
        prefix,
        readOnly: input.readOnly ?? false,
      },
    });
  });
  return { id, token, prefix, expiresAt };
}

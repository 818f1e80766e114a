import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Db } from "../db/open-database.ts";
import { generateId, randomAlphanumeric, randomSecret } from "../ids/generate-id.ts";
import { hashSecret } from "../keys/secret-hash.ts";
import { formatOperatorToken } from "./operator-token-format.ts";

/** Issues an operator API token for automation; the token is returned once. */
export async function issueOperatorToken(
  db: Db,
  input: { operatorId: string; name: string; expiresAt?: Date | null },
  actor: Actor,
): Promise<{ id: string; token: string }> {
  const prefix = randomAlphanumeric(12);
  const token = formatOperatorToken(prefix, randomSecret(30));
  const id = generateId("tok");
  await db.operatorToken.create({
    data: {
      id,
      operatorId: input.operatorId,
      name: input.name,
      prefix,
      hash: await hashSecret(token),
      expiresAt: input.expiresAt ?? null,
    },
  });
  await recordAdminEvent(db, {
    actor,
    action: AdminAuditAction.operatorTokenIssued,
    detail: { tokenId: id, operatorId: input.operatorId, name: input.name, prefix },
  });
  return { id, token };
}

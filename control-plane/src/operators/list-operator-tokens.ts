import type { Db } from "../db/open-database.ts";

/** The operator's own tokens, newest first; never the hash. */
export function listOperatorTokens(db: Db, operatorId: string) {
  return db.operatorToken.findMany({
    where: { operatorId },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      prefix: true,
      readOnly: true,
      tenantId: true,
      createdAt: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
    },
  });
}

import type { Db } from "../db/open-database.ts";
import type { ListApiKeysQuery } from "./api-key-schemas.ts";

const KEY_FIELDS = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  roles: true,
} as const;

/** A page of the tenant's API keys, newest first, by id cursor (fast with 10k keys). */
export async function listApiKeys(db: Db, input: { tenantId: string } & ListApiKeysQuery) {
  const rows = await db.apiKey.findMany({
    where: { tenantId: input.tenantId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    select: KEY_FIELDS,
  });
  const page = rows.slice(0, input.limit);
  return { items: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}

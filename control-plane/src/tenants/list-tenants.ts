import type { Db } from "../db/open-database.ts";

/** Tenants in the caller's scope ("all" or the ids an ability allows), with counts for the console. */
export function listTenants(db: Db, scope: "all" | readonly string[]) {
  return db.tenant.findMany({
    where: scope === "all" ? {} : { id: { in: [...scope] } },
    orderBy: { slug: "asc" },
    select: {
      id: true,
      slug: true,
      name: true,
      createdAt: true,
      updatedAt: true,
      _count: { select: { apiKeys: true, policies: true, upstreams: true, memberships: true } },
    },
  });
}

import type { Db } from "../db/open-database.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";

export async function getTenant(db: Db, tenantId: string) {
  const tenant = await db.tenant.findUnique({
    where: { id: tenantId },
    select: {
      id: true,
      slug: true,
      name: true,
      createdAt: true,
      updatedAt: true,
      _count: { select: { apiKeys: true, policies: true, upstreams: true, memberships: true } },
    },
  });
  type Found = NonNullable<typeof tenant>;
  const outcome: Outcome<Found> = tenant ? ok(tenant) : fail("NOT_FOUND", "No such tenant.");
  return outcome;
}

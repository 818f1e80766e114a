import type { Db } from "../db/open-database.ts";

/** Who holds a role in the tenant: its own members, then operators with a role on every tenant. */
export async function listMembers(db: Db, tenantId: string) {
  const memberships = await db.membership.findMany({
    where: { OR: [{ tenantId }, { tenantId: null }] },
    orderBy: [{ createdAt: "asc" }],
    select: {
      id: true,
      role: true,
      tenantId: true,
      createdAt: true,
      operator: { select: { id: true, email: true, name: true, passwordHash: true } },
    },
  });
  return memberships.map(({ operator, ...membership }) => ({
    ...membership,
    /** Inherited from a role on every tenant: managed elsewhere, not removable here. */
    inherited: membership.tenantId === null,
    operator: { id: operator.id, email: operator.email, name: operator.name, sso: operator.passwordHash === null },
  }));
}

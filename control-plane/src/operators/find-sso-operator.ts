import type { Db } from "../db/open-database.ts";

export type SsoOperator = { id: string; email: string; name: string; sessionVersion: number };

/**
 * Maps an SSO identity to an operator by its verified email. An unknown email, or an
 * operator who holds no role, gets no access: owners add members first (members screen).
 */
export async function findSsoOperator(db: Db, email: string | null | undefined): Promise<SsoOperator | null> {
  const normalised = email?.trim().toLowerCase();
  if (!normalised) return null;
  const operator = await db.operator.findUnique({
    where: { email: normalised },
    include: { _count: { select: { memberships: true } } },
  });
  if (!operator || operator._count.memberships === 0) return null;
  return { id: operator.id, email: operator.email, name: operator.name, sessionVersion: operator.sessionVersion };
}

import type { Db } from "../db/open-database.ts";
import type { OperatorIdentity, OperatorRole } from "./authenticate-operator.ts";

export type OperatorSession = { operator: OperatorIdentity; roles: OperatorRole[]; sessionVersion: number };

/**
 * The operator behind a console session, with roles read fresh. Null when the
 * operator is gone or signed out everywhere since the session began (its version is older).
 */
export async function operatorSession(
  db: Db,
  operatorId: string,
  sessionVersion: number,
): Promise<OperatorSession | null> {
  const operator = await db.operator.findUnique({ where: { id: operatorId }, include: { memberships: true } });
  if (!operator || operator.sessionVersion !== sessionVersion) return null;
  return {
    operator: { id: operator.id, email: operator.email, name: operator.name },
    roles: operator.memberships.map((m) => ({ tenantId: m.tenantId, role: m.role })),
    sessionVersion: operator.sessionVersion,
  };
}

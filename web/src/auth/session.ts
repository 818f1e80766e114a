import { getServerSession } from "next-auth";
import type { AuthenticatedOperator } from "../api/route.ts";
import { controlPlane } from "../control-plane.ts";
import { authOptions } from "./options.ts";

/** The operator signed in to the console (from the session cookie), or null. */
export async function currentOperator(): Promise<{ id: string; email: string; name: string } | null> {
  const session = await getServerSession(authOptions);
  return session?.operator ?? null;
}

/** The signed-in operator with their current roles, read fresh from the database. */
export async function sessionPrincipal(): Promise<AuthenticatedOperator | null> {
  const operator = await currentOperator();
  if (!operator) return null;
  const { cp, context } = await controlPlane();
  const roles = await cp.operatorRoles(context.db, operator.id);
  return { operator, roles, via: "session" };
}

/** The operator behind an operator API token, or null when it is unknown, expired, revoked or malformed. */
export async function tokenPrincipal(token: string): Promise<AuthenticatedOperator | null> {
  const { cp, context } = await controlPlane();
  const result = await cp.authenticateOperatorToken(context.db, token);
  if (!result.ok) return null;
  return { operator: result.operator, roles: result.roles, via: "token" };
}

import { getServerSession } from "next-auth";
import type { AuthenticatedOperator } from "../api/route.ts";
import { controlPlane } from "../control-plane.ts";
import { authOptions } from "./options.ts";

/**
 * The signed-in operator with current roles, read fresh from the database; null without
 * a session, past its timeouts, or after "sign out everywhere" (an older session version).
 */
export async function sessionPrincipal(): Promise<AuthenticatedOperator | null> {
  const session = await getServerSession(authOptions);
  const claimed = session?.operator;
  if (!claimed) return null;
  const { cp, context } = await controlPlane();
  const current = await cp.operatorSession(context.db, claimed.id, claimed.sessionVersion);
  if (!current) return null;
  return { operator: current.operator, roles: current.roles, via: "session" };
}

/** The operator signed in to the console, or null (same checks as sessionPrincipal). */
export async function currentOperator(): Promise<{ id: string; email: string; name: string } | null> {
  return (await sessionPrincipal())?.operator ?? null;
}

/** The operator behind an operator API token, or null when it is unknown, expired, revoked or malformed. */
export async function tokenPrincipal(token: string): Promise<AuthenticatedOperator | null> {
  const { cp, context } = await controlPlane();
  const result = await cp.authenticateOperatorToken(context.db, token);
  if (!result.ok) return null;
  return {
    operator: result.operator,
    roles: result.roles,
    via: "token",
    readOnly: result.readOnly,
    tokenTenantId: result.tenantId,
  };
}

import type { Permission } from "@only1mcp/control-plane/authz";
import { sessionPrincipal } from "../auth/session.ts";
import { type AuthenticatedOperator, principalAuthz } from "./route.ts";

export type ActionResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: "UNAUTHENTICATED" | "FORBIDDEN"; message: string };

/**
 * The server-action twin of the route builder: the console session (Next checks the
 * action's Origin, which is its CSRF defence), then the same abilities check.
 */
export async function authorisedAction<T>(
  permission: Permission,
  tenantId: string | undefined,
  run: (principal: AuthenticatedOperator) => Promise<T>,
): Promise<ActionResult<T>> {
  const principal = await sessionPrincipal();
  if (!principal) return { ok: false, code: "UNAUTHENTICATED", message: "Sign in again." };
  const target = tenantId === undefined ? undefined : { tenantId, operatorId: principal.operator.id };
  const decision = principalAuthz(principal).decide(permission, target);
  if (!decision.allowed) return { ok: false, code: "FORBIDDEN", message: `Forbidden: ${decision.reason}.` };
  return { ok: true, value: await run(principal) };
}

import type { AuthenticatedOperator } from "../api/route.ts";

/** The control plane's actor for the calling operator. */
export function operatorActor(principal: AuthenticatedOperator) {
  return { kind: "operator" as const, operatorId: principal.operator.id };
}

/** Tenants whose data the operator may see: all with a global role, else those with a role. */
export function tenantScope(principal: AuthenticatedOperator): { tenantIds: string[] | "all" } {
  if (principal.roles.some((grant) => grant.tenantId === null)) return { tenantIds: "all" };
  return { tenantIds: principal.roles.map((grant) => grant.tenantId).filter((id): id is string => id !== null) };
}

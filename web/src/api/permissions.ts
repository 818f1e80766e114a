/**
 * Permissions a route can require and the roles that grant them: the shared CASL
 * module of the control plane (`@only1mcp/control-plane/authz`), re-exported so API
 * routes, server actions and console components ask the very same question.
 */
import { authorize, type OperatorRoleGrant, type Permission } from "@only1mcp/control-plane/authz";

export {
  type Authz,
  authorize,
  isPermission,
  OPERATOR_ROLES,
  type OperatorRole,
  type OperatorRoleGrant,
  PERMISSIONS,
  type Permission,
} from "@only1mcp/control-plane/authz";

export type PermissionDecision = { allowed: true } | { allowed: false; reason: string };

/** Whether the grants carry the permission on some tenant (lists then filter by tenant). */
export function checkPermission(roles: readonly OperatorRoleGrant[], permission: Permission): PermissionDecision {
  return authorize({ operatorId: "", grants: roles }).decide(permission);
}

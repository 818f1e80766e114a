/**
 * Permissions a route can require, and which operator roles grant them.
 * Pure and shared: the API route builder and the console pages ask the same question.
 * (To be replaced by the shared CASL module once it lands in control-plane.)
 */
export const OPERATOR_ROLES = ["owner", "admin", "auditor", "viewer"] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export type OperatorRoleGrant = { tenantId: string | null; role: OperatorRole };

const GRANTS = {
  "snapshot:read": ["owner", "admin", "auditor", "viewer"],
  "snapshot:publish": ["owner", "admin"],
  "dashboard:read": ["owner", "admin", "auditor", "viewer"],
  "snapshot:rollout": ["owner", "admin"],
  "fleet:read": ["owner", "admin", "auditor", "viewer"],
  "job:read": ["owner", "admin", "auditor", "viewer"],
  "audit:read": ["owner", "admin", "auditor"],
  "audit:export": ["owner", "admin", "auditor"],
  "report:generate": ["owner", "admin", "auditor"],
  "report:read": ["owner", "admin", "auditor"],
  "operator:privacy": ["owner"],
} as const satisfies Record<string, readonly OperatorRole[]>;

export type Permission = keyof typeof GRANTS;

export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && Object.hasOwn(GRANTS, value);
}

export type PermissionDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Whether any of the operator's role grants carries the permission. Global
 * permissions (snapshots) need no tenant: a role on any tenant is enough for reads.
 */
export function checkPermission(roles: readonly OperatorRoleGrant[], permission: Permission): PermissionDecision {
  const allowedRoles: readonly OperatorRole[] = GRANTS[permission];
  if (roles.some((grant) => allowedRoles.includes(grant.role))) return { allowed: true };
  if (roles.length === 0) return { allowed: false, reason: `operator holds no role; ${permission} needs one` };
  return { allowed: false, reason: `${permission} needs one of the roles ${allowedRoles.join(", ")}` };
}

/**
 * The permissions an API route, a server action or a console control can require.
 * Each names one CASL action on one subject; the role rules in abilities.ts decide
 * who holds it. Routes declare exactly one of these (fail closed otherwise).
 */
export const OPERATOR_ROLES = ["owner", "admin", "auditor", "viewer"] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** A role held on one tenant, or on every tenant when tenantId is null. */
export type OperatorRoleGrant = { tenantId: string | null; role: OperatorRole };

export const SUBJECTS = [
  "Tenant",
  "Member",
  "ApiKey",
  "Policy",
  "Upstream",
  "Snapshot",
  "DataPlane",
  "AuditEvent",
  "Report",
  "OperatorToken",
  "Dashboard",
  "Operator",
  "SecuritySettings",
  "SigningKey",
] as const;
export type Subject = (typeof SUBJECTS)[number];

export const ACTIONS = ["read", "create", "update", "delete", "publish", "export", "test"] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions that change nothing: the only ones auditors, viewers and read-only tokens get. */
export const READ_ACTIONS: readonly Action[] = ["read", "export"];

export const PERMISSIONS = {
  "dashboard:read": { action: "read", subject: "Dashboard" },
  "tenant:read": { action: "read", subject: "Tenant" },
  "tenant:create": { action: "create", subject: "Tenant" },
  "tenant:update": { action: "update", subject: "Tenant" },
  "tenant:delete": { action: "delete", subject: "Tenant" },
  "member:read": { action: "read", subject: "Member" },
  "member:create": { action: "create", subject: "Member" },
  "member:update": { action: "update", subject: "Member" },
  "member:delete": { action: "delete", subject: "Member" },
  "apiKey:read": { action: "read", subject: "ApiKey" },
  "apiKey:create": { action: "create", subject: "ApiKey" },
  "apiKey:update": { action: "update", subject: "ApiKey" },
  "apiKey:delete": { action: "delete", subject: "ApiKey" },
  "policy:read": { action: "read", subject: "Policy" },
  "policy:create": { action: "create", subject: "Policy" },
  "policy:update": { action: "update", subject: "Policy" },
  "policy:delete": { action: "delete", subject: "Policy" },
  "upstream:read": { action: "read", subject: "Upstream" },
  "upstream:create": { action: "create", subject: "Upstream" },
  "upstream:update": { action: "update", subject: "Upstream" },
  "upstream:delete": { action: "delete", subject: "Upstream" },
  "upstream:test": { action: "test", subject: "Upstream" },
  "snapshot:read": { action: "read", subject: "Snapshot" },
  "snapshot:publish": { action: "publish", subject: "Snapshot" },
  // Staged rollout, promote and roll back are publishing by other means.
  "snapshot:rollout": { action: "publish", subject: "Snapshot" },
  "fleet:read": { action: "read", subject: "DataPlane" },
  "job:read": { action: "read", subject: "Dashboard" },
  "dataPlane:read": { action: "read", subject: "DataPlane" },
  "audit:read": { action: "read", subject: "AuditEvent" },
  "audit:export": { action: "export", subject: "AuditEvent" },
  "report:read": { action: "read", subject: "Report" },
  "report:create": { action: "create", subject: "Report" },
  "report:export": { action: "export", subject: "Report" },
  "report:generate": { action: "create", subject: "Report" },
  /** GDPR export and erasure of one operator's personal data: owners of every tenant only. */
  "operator:privacy": { action: "delete", subject: "Operator" },
  /** The fleet's seed `security:` block: it governs every tenant, so only roles on every tenant. */
  "security:read": { action: "read", subject: "SecuritySettings" },
  "security:update": { action: "update", subject: "SecuritySettings" },
  /** Staging and activating the fleet's snapshot signing key: every data plane trusts it, so only roles on every tenant. */
  "signingKey:rotate": { action: "update", subject: "SigningKey" },
  "operatorToken:read": { action: "read", subject: "OperatorToken" },
  "operatorToken:create": { action: "create", subject: "OperatorToken" },
  "operatorToken:delete": { action: "delete", subject: "OperatorToken" },
} as const satisfies Record<string, { action: Action; subject: Subject }>;

export type Permission = keyof typeof PERMISSIONS;

export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && Object.hasOwn(PERMISSIONS, value);
}

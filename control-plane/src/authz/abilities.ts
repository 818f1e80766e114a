import { AbilityBuilder, createMongoAbility, type MongoAbility, subject as withSubject } from "@casl/ability";
import {
  type Action,
  OPERATOR_ROLES,
  type OperatorRole,
  type OperatorRoleGrant,
  PERMISSIONS,
  type Permission,
  READ_ACTIONS,
  type Subject,
} from "./permissions.ts";

/**
 * Operator authorisation: one pure module, shared by the API route builder, server
 * actions and the console (which hides or disables what the ability refuses).
 * Roles hold per tenant (or on every tenant when the grant's tenantId is null):
 * - viewer: reads configuration (tenants, members, keys, policies, upstreams, fleet).
 * - auditor: what a viewer reads, plus the audit log and compliance reports, which it
 *   may export and generate; it changes nothing.
 * - admin: what an auditor may, plus changing keys, policies, upstreams and the tenant,
 *   and publishing snapshots; on every tenant it may also create tenants.
 * - owner: what an admin may, plus members and deleting the tenant.
 * Every operator manages their own operator API tokens. A read-only token keeps only
 * the read and export actions of its operator.
 */
export type AppAbility = MongoAbility<[Action, Subject | ReturnType<typeof withSubject<Subject, object>>]>;

/** Resources that live inside one tenant; the others are global. */
const TENANT_SCOPED: ReadonlySet<Subject> = new Set([
  "Tenant",
  "Member",
  "ApiKey",
  "Policy",
  "Upstream",
  "AuditEvent",
  "Report",
]);

const CONFIG: Subject[] = ["Tenant", "Member", "ApiKey", "Policy", "Upstream"];
const CHANGEABLE: Subject[] = ["ApiKey", "Policy", "Upstream"];

const RANK: Record<OperatorRole, number> = { viewer: 0, auditor: 1, admin: 2, owner: 3 };
const atLeast = (role: OperatorRole, minimum: OperatorRole) => RANK[role] >= RANK[minimum];

export type AuthzInput = {
  operatorId: string;
  grants: readonly OperatorRoleGrant[];
  /** A read-only operator token: keeps only read/export actions. */
  readOnly?: boolean;
  /** A token restricted to one tenant: its grants are narrowed to that tenant. */
  tenantId?: string | null;
};

/** Narrows grants to one tenant (a token's scope): a global role becomes a role on that tenant. */
export function narrowGrants(grants: readonly OperatorRoleGrant[], tenantId: string | null | undefined) {
  if (!tenantId) return [...grants];
  return grants
    .filter((grant) => grant.tenantId === null || grant.tenantId === tenantId)
    .map((grant) => ({ tenantId, role: grant.role }));
}

/** Our conditions are plain field equalities on tenantId / id / operatorId. */
type CanRule = (action: Action, subject: Subject, conditions?: Record<string, string | null>) => unknown;

function ruleWriter(builder: AbilityBuilder<AppAbility>): CanRule {
  // CASL infers condition fields from class subjects; ours are strings, so the
  // builder is typed loosely here, in this one place.
  return builder.can as unknown as CanRule;
}

function defineRules(builder: AbilityBuilder<AppAbility>, grant: OperatorRoleGrant, readOnly: boolean): void {
  const can = ruleWriter(builder);
  const global = grant.tenantId === null;
  const allow = (action: Action, subjects: Subject | Subject[]) => {
    if (readOnly && !READ_ACTIONS.includes(action)) return;
    for (const name of Array.isArray(subjects) ? subjects : [subjects]) {
      if (global || !TENANT_SCOPED.has(name)) can(action, name);
      else if (name === "Tenant") can(action, name, { id: grant.tenantId });
      else can(action, name, { tenantId: grant.tenantId });
    }
  };
  const { role } = grant;

  allow("read", [...CONFIG, "Dashboard", "DataPlane"]);
  // The snapshot carries every tenant's configuration: only roles on every tenant read it.
  if (global) allow("read", ["Snapshot", "SecuritySettings"]);

  if (atLeast(role, "auditor")) {
    allow("read", ["AuditEvent", "Report"]);
    allow("export", ["AuditEvent", "Report"]);
    allow("create", "Report");
  }
  if (atLeast(role, "admin")) {
    for (const action of ["create", "update", "delete"] as const) allow(action, CHANGEABLE);
    allow("test", "Upstream");
    allow("update", "Tenant");
    allow("publish", "Snapshot");
    if (global) allow("create", "Tenant");
    if (global) allow("update", ["SecuritySettings", "SigningKey"]);
  }
  if (role === "owner") {
    for (const action of ["create", "update", "delete"] as const) allow(action, "Member");
    allow("delete", "Tenant");
    if (global) allow("delete", "Operator");
  }
}

export function defineAbility(input: AuthzInput): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  const readOnly = input.readOnly ?? false;
  for (const grant of narrowGrants(input.grants, input.tenantId)) defineRules(builder, grant, readOnly);
  // Every operator manages their own automation tokens (a read-only token only lists them).
  if (input.grants.length > 0) {
    const can = ruleWriter(builder);
    can("read", "OperatorToken", { operatorId: input.operatorId });
    if (!readOnly) {
      can("create", "OperatorToken", { operatorId: input.operatorId });
      can("delete", "OperatorToken", { operatorId: input.operatorId });
    }
  }
  return builder.build();
}

/** What a check is about: a tenant (for tenant resources) and/or an operator (for tokens). */
export type AuthzTarget = { tenantId?: string; operatorId?: string };

export type AuthzDecision = { allowed: true } | { allowed: false; reason: string };

function subjectFor(name: Subject, target: AuthzTarget | undefined) {
  if (!target) return name;
  if (name === "Tenant") return withSubject(name, { id: target.tenantId });
  if (name === "OperatorToken") return withSubject(name, { operatorId: target.operatorId });
  return withSubject(name, { tenantId: target.tenantId });
}

/** The question every caller asks: may this principal do `permission` (on this tenant)? */
export class Authz {
  readonly ability: AppAbility;

  constructor(readonly input: AuthzInput) {
    this.ability = defineAbility(input);
  }

  get operatorId(): string {
    return this.input.operatorId;
  }

  can(permission: Permission, target?: AuthzTarget): boolean {
    const { action, subject } = PERMISSIONS[permission];
    return this.ability.can(action, subjectFor(subject, target));
  }

  decide(permission: Permission, target?: AuthzTarget): AuthzDecision {
    if (this.can(permission, target)) return { allowed: true };
    return { allowed: false, reason: this.denialReason(permission, target) };
  }

  /**
   * The tenants on which `permission` holds: "all" (a global grant allows it) or a list
   * of tenant ids. Lists use it to filter, so a tenant role sees only its tenants.
   */
  tenantScope(permission: Permission): "all" | string[] {
    const grants = narrowGrants(this.input.grants, this.input.tenantId);
    const ids = new Set<string>();
    for (const grant of grants) {
      const single = new Authz({ ...this.input, grants: [grant], tenantId: null });
      if (grant.tenantId === null) {
        if (single.can(permission)) return "all";
      } else if (single.can(permission, { tenantId: grant.tenantId, operatorId: this.operatorId })) {
        ids.add(grant.tenantId);
      }
    }
    return [...ids];
  }

  private denialReason(permission: Permission, target: AuthzTarget | undefined): string {
    const { action } = PERMISSIONS[permission];
    const grants = narrowGrants(this.input.grants, this.input.tenantId);
    if (grants.length === 0) return `you hold no role, and ${permission} needs one`;
    if (this.input.readOnly && !READ_ACTIONS.includes(action)) {
      return `this token is read-only and ${permission} changes state`;
    }
    const tenantId = target?.tenantId;
    const relevant = grants.filter((grant) => grant.tenantId === null || grant.tenantId === tenantId);
    if (tenantId !== undefined && relevant.length === 0) return `you hold no role in tenant ${tenantId}`;
    if (target?.operatorId !== undefined && target.operatorId !== this.operatorId) {
      return "operator tokens belong to their operator alone";
    }
    const scope = tenantId ?? null;
    const sufficient = OPERATOR_ROLES.filter((role) =>
      new Authz({ operatorId: this.operatorId, grants: [{ tenantId: scope, role }] }).can(permission, target),
    );
    const held = [...new Set(relevant.map((grant) => grant.role))].join(", ") || "none here";
    const where = scope === null ? "on every tenant" : `in tenant ${scope}`;
    if (sufficient.length === 0) return `${permission} needs a role on every tenant; yours: ${held}`;
    return `${permission} needs the role ${sufficient.join(" or ")} ${where}; yours: ${held}`;
  }
}

export function authorize(input: AuthzInput): Authz {
  return new Authz(input);
}

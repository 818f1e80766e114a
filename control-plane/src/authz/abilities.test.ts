import { describe, expect, it } from "vitest";
import { authorize } from "./abilities.ts";
import { OPERATOR_ROLES, type OperatorRole, PERMISSIONS, type Permission } from "./permissions.ts";

// The expected matrix, written out by hand: a rule change that moves a cell fails here.
// Letters: o owner, a admin, u auditor, v viewer — the roles that hold the permission
// on their own tenant. Global-only permissions are marked separately below.
const ON_OWN_TENANT: Record<Permission, string> = {
  "dashboard:read": "oauv",
  "tenant:read": "oauv",
  "tenant:create": "",
  "tenant:update": "oa",
  "tenant:delete": "o",
  "member:read": "oauv",
  "member:create": "o",
  "member:update": "o",
  "member:delete": "o",
  "apiKey:read": "oauv",
  "apiKey:create": "oa",
  "apiKey:update": "oa",
  "apiKey:delete": "oa",
  "policy:read": "oauv",
  "policy:create": "oa",
  "policy:update": "oa",
  "policy:delete": "oa",
  "upstream:read": "oauv",
  "upstream:create": "oa",
  "upstream:update": "oa",
  "upstream:delete": "oa",
  "upstream:test": "oa",
  "snapshot:read": "",
  "snapshot:publish": "oa",
  "snapshot:rollout": "oa",
  "fleet:read": "oauv",
  "job:read": "oauv",
  "report:generate": "oau",
  "operator:privacy": "",
  "dataPlane:read": "oauv",
  "audit:read": "oau",
  "audit:export": "oau",
  "report:read": "oau",
  "report:create": "oau",
  "report:export": "oau",
  "security:read": "",
  "security:update": "",
  "signingKey:rotate": "",
  "operatorToken:read": "oauv",
  "operatorToken:create": "oauv",
  "operatorToken:delete": "oauv",
};
/** What a role on every tenant adds to the same role on one tenant. */
const GLOBAL_EXTRA: Partial<Record<Permission, string>> = {
  "tenant:create": "oa",
  "snapshot:read": "oauv",
  "operator:privacy": "o",
  "security:read": "oauv",
  "security:update": "oa",
  "signingKey:rotate": "oa",
};

const LETTER: Record<OperatorRole, string> = { owner: "o", admin: "a", auditor: "u", viewer: "v" };
const permissions = Object.keys(PERMISSIONS) as Permission[];
const TENANT = "ten_A";
const OTHER = "ten_B";
const SELF = "op_self";

describe("abilities: every role × every permission", () => {
  for (const role of OPERATOR_ROLES) {
    for (const permission of permissions) {
      const onTenant = ON_OWN_TENANT[permission].includes(LETTER[role]);
      const global = onTenant || (GLOBAL_EXTRA[permission] ?? "").includes(LETTER[role]);
      const target = { tenantId: TENANT, operatorId: SELF };

      it(`${role} on ${TENANT}: ${permission} is ${onTenant ? "allowed" : "denied"}`, () => {
        const authz = authorize({ operatorId: SELF, grants: [{ tenantId: TENANT, role }] });
        expect(authz.can(permission, target)).toBe(onTenant);
        // Never on another tenant's resources (global subjects ignore the tenant).
        const tenantScoped = !["Snapshot", "DataPlane", "Dashboard", "OperatorToken"].includes(
          PERMISSIONS[permission].subject,
        );
        if (tenantScoped) expect(authz.can(permission, { tenantId: OTHER, operatorId: SELF })).toBe(false);
      });

      it(`${role} on every tenant: ${permission} is ${global ? "allowed" : "denied"}`, () => {
        const authz = authorize({ operatorId: SELF, grants: [{ tenantId: null, role }] });
        expect(authz.can(permission, target)).toBe(global);
        expect(authz.can(permission, { tenantId: OTHER, operatorId: SELF })).toBe(global);
      });
    }
  }
});

describe("abilities: fail closed and scoped", () => {
  it("an operator without roles may do nothing, with a readable reason", () => {
    const authz = authorize({ operatorId: SELF, grants: [] });
    for (const permission of permissions) expect(authz.can(permission, { tenantId: TENANT })).toBe(false);
    expect(authz.decide("tenant:read", { tenantId: TENANT })).toEqual({
      allowed: false,
      reason: "you hold no role, and tenant:read needs one",
    });
  });

  it("explains a denial by the roles that would allow it", () => {
    const authz = authorize({ operatorId: SELF, grants: [{ tenantId: TENANT, role: "auditor" }] });
    expect(authz.decide("apiKey:create", { tenantId: TENANT })).toEqual({
      allowed: false,
      reason: `apiKey:create needs the role owner or admin in tenant ${TENANT}; yours: auditor`,
    });
    expect(authz.decide("apiKey:read", { tenantId: OTHER })).toEqual({
      allowed: false,
      reason: `you hold no role in tenant ${OTHER}`,
    });
    expect(authz.decide("snapshot:read")).toMatchObject({ allowed: false });
  });

  it("an operator manages only their own tokens", () => {
    const authz = authorize({ operatorId: SELF, grants: [{ tenantId: null, role: "owner" }] });
    expect(authz.can("operatorToken:delete", { operatorId: SELF })).toBe(true);
    expect(authz.decide("operatorToken:delete", { operatorId: "op_other" })).toEqual({
      allowed: false,
      reason: "operator tokens belong to their operator alone",
    });
  });

  it("a read-only token keeps reads and exports and loses every change", () => {
    const authz = authorize({ operatorId: SELF, grants: [{ tenantId: null, role: "owner" }], readOnly: true });
    for (const permission of permissions) {
      const { action } = PERMISSIONS[permission];
      expect(authz.can(permission, { tenantId: TENANT, operatorId: SELF }), permission).toBe(
        action === "read" || action === "export",
      );
    }
    expect(authz.decide("policy:update", { tenantId: TENANT })).toEqual({
      allowed: false,
      reason: "this token is read-only and policy:update changes state",
    });
  });

  it("a tenant-scoped token narrows a global role to that tenant", () => {
    const authz = authorize({ operatorId: SELF, grants: [{ tenantId: null, role: "admin" }], tenantId: TENANT });
    expect(authz.can("policy:update", { tenantId: TENANT })).toBe(true);
    expect(authz.can("policy:update", { tenantId: OTHER })).toBe(false);
    expect(authz.can("tenant:create")).toBe(false);
    expect(authz.can("snapshot:read")).toBe(false);
  });

  it("lists the tenants a permission holds on", () => {
    const mixed = authorize({
      operatorId: SELF,
      grants: [
        { tenantId: TENANT, role: "admin" },
        { tenantId: OTHER, role: "viewer" },
      ],
    });
    expect(mixed.tenantScope("apiKey:read")).toEqual([TENANT, OTHER]);
    expect(mixed.tenantScope("apiKey:create")).toEqual([TENANT]);
    expect(mixed.tenantScope("audit:read")).toEqual([TENANT]);
    const global = authorize({ operatorId: SELF, grants: [{ tenantId: null, role: "viewer" }] });
    expect(global.tenantScope("apiKey:read")).toBe("all");
    expect(global.tenantScope("audit:read")).toEqual([]);
  });
});

import { addMemberBody, updateMemberBody } from "@only1mcp/control-plane/schemas";
import { operations } from "../api/domain-operation.ts";
import { unwrap } from "../api/operation.ts";

const operation = operations("Members");

export const listMembers = operation({
  method: "GET",
  path: "/tenants/{tenantId}/members",
  summary: "Operators holding a role in the tenant (including roles on every tenant)",
  permission: "member:read",
  run: async ({ cp, db, tenant }) => ({ items: await cp.listMembers(db, tenant()) }),
});

export const addMember = operation({
  method: "POST",
  path: "/tenants/{tenantId}/members",
  summary: "Give an operator (by email) a role in the tenant; unknown emails become SSO-only operators",
  status: 201,
  permission: "member:create",
  body: addMemberBody,
  run: async ({ cp, db, actor, tenant, body }) =>
    unwrap(await cp.addMember(db, { tenantId: tenant(), ...body }, actor)),
});

export const updateMember = operation({
  method: "PATCH",
  path: "/tenants/{tenantId}/members/{memberId}",
  summary: "Change a member's role",
  permission: "member:update",
  body: updateMemberBody,
  run: async ({ cp, db, actor, tenant, param, body }) =>
    unwrap(await cp.updateMemberRole(db, { tenantId: tenant(), memberId: param("memberId"), ...body }, actor)),
});

export const removeMember = operation({
  method: "DELETE",
  path: "/tenants/{tenantId}/members/{memberId}",
  summary: "Remove a member from the tenant",
  permission: "member:delete",
  run: async ({ cp, db, actor, tenant, param }) =>
    unwrap(await cp.removeMember(db, { tenantId: tenant(), memberId: param("memberId") }, actor)),
});

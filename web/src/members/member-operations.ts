import { addMemberBody, updateMemberBody } from "@only1mcp/control-plane/schemas";
import { actorOf, created, operation, param, tenantOf, toJson, unwrap } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";

const tag = "Members";

export const listMembers = operation({
  method: "GET",
  path: "/tenants/{tenantId}/members",
  summary: "Operators holding a role in the tenant (including roles on every tenant)",
  tag,
  permission: "member:read",
  async handler({ tenantId }) {
    const { cp, context } = await controlPlane();
    return toJson({ items: await cp.listMembers(context.db, tenantOf(tenantId)) });
  },
});

export const addMember = operation({
  method: "POST",
  path: "/tenants/{tenantId}/members",
  summary: "Give an operator (by email) a role in the tenant; unknown emails become SSO-only operators",
  tag,
  status: 201,
  permission: "member:create",
  body: addMemberBody,
  async handler({ tenantId, body, principal }) {
    const { cp, context } = await controlPlane();
    return created(
      unwrap(await cp.addMember(context.db, { tenantId: tenantOf(tenantId), ...body }, actorOf(principal))),
    );
  },
});

export const updateMember = operation({
  method: "PATCH",
  path: "/tenants/{tenantId}/members/{memberId}",
  summary: "Change a member's role",
  tag,
  permission: "member:update",
  body: updateMemberBody,
  async handler({ tenantId, params, body, principal }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), memberId: param(params, "memberId"), ...body };
    return toJson(unwrap(await cp.updateMemberRole(context.db, input, actorOf(principal))));
  },
});

export const removeMember = operation({
  method: "DELETE",
  path: "/tenants/{tenantId}/members/{memberId}",
  summary: "Remove a member from the tenant",
  tag,
  permission: "member:delete",
  async handler({ tenantId, params, principal }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), memberId: param(params, "memberId") };
    return toJson(unwrap(await cp.removeMember(context.db, input, actorOf(principal))));
  },
});

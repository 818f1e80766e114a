import { createTenantBody, setAuditRetentionBody, updateTenantBody } from "@only1mcp/control-plane/schemas";
import { actorOf, created, operation, tenantOf, toJson, unwrap } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";

const tag = "Tenants";

export const listTenants = operation({
  method: "GET",
  path: "/tenants",
  summary: "Tenants the caller holds a role in",
  tag,
  permission: "tenant:read",
  async handler({ authz }) {
    const { cp, context } = await controlPlane();
    return toJson({ items: await cp.listTenants(context.db, authz.tenantScope("tenant:read")) });
  },
});

export const createTenant = operation({
  method: "POST",
  path: "/tenants",
  summary: "Create a tenant (a role on every tenant: owner or admin)",
  tag,
  status: 201,
  permission: "tenant:create",
  body: createTenantBody,
  async handler({ body, principal }) {
    const { cp, context } = await controlPlane();
    return created(unwrap(await cp.tryCreateTenant(context.db, body, actorOf(principal))));
  },
});

export const getTenant = operation({
  method: "GET",
  path: "/tenants/{tenantId}",
  summary: "One tenant with its counts",
  tag,
  permission: "tenant:read",
  async handler({ tenantId }) {
    const { cp, context } = await controlPlane();
    return toJson(unwrap(await cp.getTenant(context.db, tenantOf(tenantId))));
  },
});

export const updateTenant = operation({
  method: "PATCH",
  path: "/tenants/{tenantId}",
  summary: "Rename a tenant",
  tag,
  permission: "tenant:update",
  body: updateTenantBody,
  async handler({ tenantId, body, principal }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), ...body };
    return toJson(unwrap(await cp.updateTenant(context.db, input, actorOf(principal))));
  },
});

export const deleteTenant = operation({
  method: "DELETE",
  path: "/tenants/{tenantId}",
  summary: "Delete a tenant and everything in it (owner)",
  tag,
  permission: "tenant:delete",
  async handler({ tenantId, principal }) {
    const { cp, context } = await controlPlane();
    return toJson(unwrap(await cp.deleteTenant(context.db, { tenantId: tenantOf(tenantId) }, actorOf(principal))));
  },
});

export const setAuditRetention = operation({
  method: "PUT",
  path: "/tenants/{tenantId}/audit-retention",
  summary:
    "Set how many days the tenant's data-plane audit events are kept (default 365); the daily retention job applies it",
  tag,
  permission: "tenant:update",
  body: setAuditRetentionBody,
  async handler({ tenantId, body, principal }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), ...body };
    return toJson(unwrap(await cp.setAuditRetention(context.db, input, actorOf(principal))));
  },
});

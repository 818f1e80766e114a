import { createTenantBody, setAuditRetentionBody, updateTenantBody } from "@only1mcp/control-plane/schemas";
import { operations } from "../api/domain-operation.ts";
import { unwrap } from "../api/operation.ts";

const operation = operations("Tenants");

export const listTenants = operation({
  method: "GET",
  path: "/tenants",
  summary: "Tenants the caller holds a role in",
  permission: "tenant:read",
  run: async ({ cp, db, authz }) => ({ items: await cp.listTenants(db, authz.tenantScope("tenant:read")) }),
});

export const createTenant = operation({
  method: "POST",
  path: "/tenants",
  summary: "Create a tenant (a role on every tenant: owner or admin)",
  status: 201,
  permission: "tenant:create",
  body: createTenantBody,
  run: async ({ cp, db, actor, body }) => unwrap(await cp.tryCreateTenant(db, body, actor)),
});

export const getTenant = operation({
  method: "GET",
  path: "/tenants/{tenantId}",
  summary: "One tenant with its counts",
  permission: "tenant:read",
  run: async ({ cp, db, tenant }) => unwrap(await cp.getTenant(db, tenant())),
});

export const updateTenant = operation({
  method: "PATCH",
  path: "/tenants/{tenantId}",
  summary: "Rename a tenant",
  permission: "tenant:update",
  body: updateTenantBody,
  run: async ({ cp, db, actor, tenant, body }) =>
    unwrap(await cp.updateTenant(db, { tenantId: tenant(), ...body }, actor)),
});

export const deleteTenant = operation({
  method: "DELETE",
  path: "/tenants/{tenantId}",
  summary: "Delete a tenant and everything in it (owner)",
  permission: "tenant:delete",
  run: async ({ cp, db, actor, tenant }) => unwrap(await cp.deleteTenant(db, { tenantId: tenant() }, actor)),
});

export const setAuditRetention = operation({
  method: "PUT",
  path: "/tenants/{tenantId}/audit-retention",
  summary:
    "Set how many days the tenant's data-plane audit events are kept (default 365); the daily retention job applies it",
  permission: "tenant:update",
  body: setAuditRetentionBody,
  run: async ({ cp, db, actor, tenant, body }) =>
    unwrap(await cp.setAuditRetention(db, { tenantId: tenant(), ...body }, actor)),
});

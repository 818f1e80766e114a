import { createUpstreamBody, testUpstreamBody, updateUpstreamBody } from "@only1mcp/control-plane/schemas";
import { operations } from "../api/domain-operation.ts";
import { unwrap } from "../api/operation.ts";

const operation = operations("Upstream servers");

export const listUpstreams = operation({
  method: "GET",
  path: "/tenants/{tenantId}/upstreams",
  summary: "The tenant's upstream MCP servers (env and header values masked)",
  permission: "upstream:read",
  run: async ({ cp, db, tenant }) => ({ items: await cp.listUpstreams(db, tenant()) }),
});

export const createUpstream = operation({
  method: "POST",
  path: "/tenants/{tenantId}/upstreams",
  summary: "Add an upstream MCP server: stdio, Streamable HTTP or the older HTTP+SSE",
  status: 201,
  permission: "upstream:create",
  body: createUpstreamBody,
  async run({ cp, db, actor, tenant, body }) {
    const row = unwrap(await cp.tryCreateUpstream(db, { tenantId: tenant(), ...body }, actor));
    return { id: row.id, name: row.name, transport: row.transport, enabled: row.enabled };
  },
});

export const updateUpstream = operation({
  method: "PATCH",
  path: "/tenants/{tenantId}/upstreams/{upstreamId}",
  summary: "Change an upstream's definition or enable/disable it",
  permission: "upstream:update",
  body: updateUpstreamBody,
  run: async ({ cp, db, actor, tenant, param, body }) =>
    unwrap(await cp.updateUpstream(db, { tenantId: tenant(), upstreamId: param("upstreamId"), ...body }, actor)),
});

export const deleteUpstream = operation({
  method: "DELETE",
  path: "/tenants/{tenantId}/upstreams/{upstreamId}",
  summary: "Remove an upstream server",
  permission: "upstream:delete",
  run: async ({ cp, db, actor, tenant, param }) =>
    unwrap(await cp.deleteUpstream(db, { tenantId: tenant(), upstreamId: param("upstreamId") }, actor)),
});

export const testStoredUpstream = operation({
  method: "POST",
  path: "/tenants/{tenantId}/upstreams/{upstreamId}/test",
  summary: "Test connection: connect with the MCP client, list tools, close",
  permission: "upstream:test",
  run: async ({ cp, db, tenant, param }) =>
    unwrap(await cp.testUpstreamConnection(db, { tenantId: tenant(), upstreamId: param("upstreamId") })),
});

export const testUpstreamDefinition = operation({
  method: "POST",
  path: "/tenants/{tenantId}/upstreams/test",
  summary: "Test a definition before saving it",
  permission: "upstream:test",
  body: testUpstreamBody,
  run: async ({ cp, body }) => cp.testConnection(body.config),
});

import { createUpstreamBody, testUpstreamBody, updateUpstreamBody } from "@only1mcp/control-plane/schemas";
import { actorOf, created, operation, param, tenantOf, toJson, unwrap } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";

const tag = "Upstream servers";

export const listUpstreams = operation({
  method: "GET",
  path: "/tenants/{tenantId}/upstreams",
  summary: "The tenant's upstream MCP servers (env and header values masked)",
  tag,
  permission: "upstream:read",
  async handler({ tenantId }) {
    const { cp, context } = await controlPlane();
    return toJson({ items: await cp.listUpstreams(context.db, tenantOf(tenantId)) });
  },
});

export const createUpstream = operation({
  method: "POST",
  path: "/tenants/{tenantId}/upstreams",
  summary: "Add a stdio or HTTP upstream MCP server",
  tag,
  status: 201,
  permission: "upstream:create",
  body: createUpstreamBody,
  async handler({ tenantId, body, principal }) {
    const { cp, context } = await controlPlane();
    const row = unwrap(
      await cp.tryCreateUpstream(context.db, { tenantId: tenantOf(tenantId), ...body }, actorOf(principal)),
    );
    return created({ id: row.id, name: row.name, transport: row.transport, enabled: row.enabled });
  },
});

export const updateUpstream = operation({
  method: "PATCH",
  path: "/tenants/{tenantId}/upstreams/{upstreamId}",
  summary: "Change an upstream's definition or enable/disable it",
  tag,
  permission: "upstream:update",
  body: updateUpstreamBody,
  async handler({ tenantId, params, body, principal }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), upstreamId: param(params, "upstreamId"), ...body };
    return toJson(unwrap(await cp.updateUpstream(context.db, input, actorOf(principal))));
  },
});

export const deleteUpstream = operation({
  method: "DELETE",
  path: "/tenants/{tenantId}/upstreams/{upstreamId}",
  summary: "Remove an upstream server",
  tag,
  permission: "upstream:delete",
  async handler({ tenantId, params, principal }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), upstreamId: param(params, "upstreamId") };
    return toJson(unwrap(await cp.deleteUpstream(context.db, input, actorOf(principal))));
  },
});

export const testStoredUpstream = operation({
  method: "POST",
  path: "/tenants/{tenantId}/upstreams/{upstreamId}/test",
  summary: "Test connection: connect with the MCP client, list tools, close",
  tag,
  permission: "upstream:test",
  async handler({ tenantId, params }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), upstreamId: param(params, "upstreamId") };
    return toJson(unwrap(await cp.testUpstreamConnection(context.db, input)));
  },
});

export const testUpstreamDefinition = operation({
  method: "POST",
  path: "/tenants/{tenantId}/upstreams/test",
  summary: "Test a definition before saving it",
  tag,
  permission: "upstream:test",
  body: testUpstreamBody,
  async handler({ body }) {
    const { cp } = await controlPlane();
    return toJson(await cp.testConnection(body.config));
  },
});

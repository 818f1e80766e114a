import { createApiKeyBody, listApiKeysQuery, rotateApiKeyBody } from "@only1mcp/control-plane/schemas";
import { actorOf, created, operation, param, tenantOf, toJson, unwrap } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";

const tag = "API keys";
const DAY_MS = 24 * 60 * 60 * 1000;

export const listApiKeys = operation({
  method: "GET",
  path: "/tenants/{tenantId}/api-keys",
  summary: "A page of the tenant's API keys (newest first, cursor paging); never the secret",
  tag,
  permission: "apiKey:read",
  query: listApiKeysQuery,
  async handler({ tenantId, query }) {
    const { cp, context } = await controlPlane();
    return toJson(await cp.listApiKeys(context.db, { tenantId: tenantOf(tenantId), ...query }));
  },
});

export const createApiKey = operation({
  method: "POST",
  path: "/tenants/{tenantId}/api-keys",
  summary: "Issue an API key: the response carries the key, shown this once",
  tag,
  status: 201,
  permission: "apiKey:create",
  body: createApiKeyBody,
  async handler({ tenantId, body, principal }) {
    const { cp, context } = await controlPlane();
    const expiresAt = body.expiresInDays === null ? null : new Date(Date.now() + body.expiresInDays * DAY_MS);
    const issued = await cp.issueApiKey(
      context.db,
      { tenantId: tenantOf(tenantId), name: body.name, expiresAt, roles: body.roles },
      actorOf(principal),
    );
    return created(issued);
  },
});

export const rotateApiKey = operation({
  method: "POST",
  path: "/tenants/{tenantId}/api-keys/{keyId}/rotate",
  summary: "Rotate a key: a new key (shown once); the old one expires after the overlap window",
  tag,
  status: 201,
  permission: "apiKey:update",
  body: rotateApiKeyBody,
  async handler({ tenantId, params, body, principal }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), keyId: param(params, "keyId"), ...body };
    return created(unwrap(await cp.rotateApiKey(context.db, input, actorOf(principal))));
  },
});

export const revokeApiKey = operation({
  method: "POST",
  path: "/tenants/{tenantId}/api-keys/{keyId}/revoke",
  summary: "Revoke a key (effective on the next publish)",
  tag,
  permission: "apiKey:delete",
  async handler({ tenantId, params, principal }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), keyId: param(params, "keyId") };
    return toJson(unwrap(await cp.revokeApiKey(context.db, input, actorOf(principal))));
  },
});

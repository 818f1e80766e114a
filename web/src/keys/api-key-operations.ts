import { createApiKeyBody, listApiKeysQuery, rotateApiKeyBody } from "@only1mcp/control-plane/schemas";
import { operations } from "../api/domain-operation.ts";
import { unwrap } from "../api/operation.ts";

const operation = operations("API keys");
const DAY_MS = 24 * 60 * 60 * 1000;

export const listApiKeys = operation({
  method: "GET",
  path: "/tenants/{tenantId}/api-keys",
  summary: "A page of the tenant's API keys (newest first, cursor paging); never the secret",
  permission: "apiKey:read",
  query: listApiKeysQuery,
  run: async ({ cp, db, tenant, query }) => cp.listApiKeys(db, { tenantId: tenant(), ...query }),
});

export const createApiKey = operation({
  method: "POST",
  path: "/tenants/{tenantId}/api-keys",
  summary: "Issue an API key: the response carries the key, shown this once",
  status: 201,
  permission: "apiKey:create",
  body: createApiKeyBody,
  async run({ cp, db, actor, tenant, body }) {
    const expiresAt = body.expiresInDays === null ? null : new Date(Date.now() + body.expiresInDays * DAY_MS);
    return cp.issueApiKey(db, { tenantId: tenant(), name: body.name, expiresAt, roles: body.roles }, actor);
  },
});

export const rotateApiKey = operation({
  method: "POST",
  path: "/tenants/{tenantId}/api-keys/{keyId}/rotate",
  summary: "Rotate a key: a new key (shown once); the old one expires after the overlap window",
  status: 201,
  permission: "apiKey:update",
  body: rotateApiKeyBody,
  run: async ({ cp, db, actor, tenant, param, body }) =>
    unwrap(await cp.rotateApiKey(db, { tenantId: tenant(), keyId: param("keyId"), ...body }, actor)),
});

export const revokeApiKey = operation({
  method: "POST",
  path: "/tenants/{tenantId}/api-keys/{keyId}/revoke",
  summary: "Revoke a key (effective on the next publish)",
  permission: "apiKey:delete",
  run: async ({ cp, db, actor, tenant, param }) =>
    unwrap(await cp.revokeApiKey(db, { tenantId: tenant(), keyId: param("keyId") }, actor)),
});

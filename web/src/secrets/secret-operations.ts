import { storeSecretBody } from "@only1mcp/control-plane/schemas";
import { actorOf, created, operation, tenantOf, toJson, unwrap } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";

const tag = "Secrets";

export const listSecrets = operation({
  method: "GET",
  path: "/tenants/{tenantId}/secrets",
  summary: "The tenant's secret names and their `secret://` references (values are never returned)",
  tag,
  permission: "upstream:read",
  async handler({ tenantId }) {
    const { cp, context } = await controlPlane();
    return toJson(await cp.listSecrets(context.db, tenantOf(tenantId)));
  },
});

export const storeSecret = operation({
  method: "POST",
  path: "/tenants/{tenantId}/secrets",
  summary:
    "Store (or replace) a secret, encrypted at rest; put its `secret://name` reference in an upstream's env or headers — data planes receive it sealed",
  tag,
  status: 201,
  permission: "upstream:update",
  body: storeSecretBody,
  async handler({ tenantId, body, principal }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), ...body };
    return created(unwrap(await cp.tryStoreSecret(context.db, context.secretsKey, input, actorOf(principal))));
  },
});

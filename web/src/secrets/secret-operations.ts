import { storeSecretBody } from "@only1mcp/control-plane/schemas";
import { operations } from "../api/domain-operation.ts";
import { unwrap } from "../api/operation.ts";

const operation = operations("Secrets");

export const listSecrets = operation({
  method: "GET",
  path: "/tenants/{tenantId}/secrets",
  summary: "The tenant's secret names and their `secret://` references (values are never returned)",
  permission: "upstream:read",
  run: async ({ cp, db, tenant }) => cp.listSecrets(db, tenant()),
});

export const storeSecret = operation({
  method: "POST",
  path: "/tenants/{tenantId}/secrets",
  summary:
    "Store (or replace) a secret, encrypted at rest; put its `secret://name` reference in an upstream's env or headers — data planes receive it sealed",
  status: 201,
  permission: "upstream:update",
  body: storeSecretBody,
  run: async ({ cp, db, context, tenant, actor, body }) =>
    unwrap(await cp.tryStoreSecret(db, context.secretsKey, { tenantId: tenant(), ...body }, actor)),
});

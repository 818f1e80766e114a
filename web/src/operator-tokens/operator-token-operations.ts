import { createOperatorTokenBody } from "@only1mcp/control-plane/schemas";
import { operations } from "../api/domain-operation.ts";
import { ApiError } from "../api/errors.ts";
import { unwrap } from "../api/operation.ts";

const operation = operations("Operator tokens");
const DAY_MS = 24 * 60 * 60 * 1000;

export const listOperatorTokens = operation({
  method: "GET",
  path: "/operator-tokens",
  summary: "The caller's own operator API tokens (never the secret)",
  permission: "operatorToken:read",
  run: async ({ cp, db, principal }) => ({ items: await cp.listOperatorTokens(db, principal.operator.id) }),
});

export const createOperatorToken = operation({
  method: "POST",
  path: "/operator-tokens",
  summary: "Issue an operator API token (hashed, scoped, expiring); shown once",
  status: 201,
  permission: "operatorToken:create",
  body: createOperatorTokenBody,
  async run({ cp, db, actor, body, principal, authz }) {
    // A tenant-bound token only for a tenant the operator may read: never a way to widen access.
    if (body.tenantId !== null && !authz.can("tenant:read", { tenantId: body.tenantId })) {
      throw new ApiError("FORBIDDEN", `Forbidden: you hold no role in tenant ${body.tenantId}.`);
    }
    return cp.issueOperatorToken(
      db,
      {
        operatorId: principal.operator.id,
        name: body.name,
        expiresAt: new Date(Date.now() + body.expiresInDays * DAY_MS),
        readOnly: body.readOnly,
        tenantId: body.tenantId,
      },
      actor,
    );
  },
});

export const revokeOperatorToken = operation({
  method: "DELETE",
  path: "/operator-tokens/{tokenId}",
  summary: "Revoke one of the caller's tokens",
  permission: "operatorToken:delete",
  run: async ({ cp, db, actor, principal, param }) =>
    unwrap(await cp.revokeOperatorToken(db, { operatorId: principal.operator.id, tokenId: param("tokenId") }, actor)),
});

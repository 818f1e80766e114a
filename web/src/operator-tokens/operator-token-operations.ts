import { createOperatorTokenBody } from "@only1mcp/control-plane/schemas";
import { ApiError } from "../api/errors.ts";
import { actorOf, created, operation, param, toJson, unwrap } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";

const tag = "Operator tokens";
const DAY_MS = 24 * 60 * 60 * 1000;

export const listOperatorTokens = operation({
  method: "GET",
  path: "/operator-tokens",
  summary: "The caller's own operator API tokens (never the secret)",
  tag,
  permission: "operatorToken:read",
  async handler({ principal }) {
    const { cp, context } = await controlPlane();
    return toJson({ items: await cp.listOperatorTokens(context.db, principal.operator.id) });
  },
});

export const createOperatorToken = operation({
  method: "POST",
  path: "/operator-tokens",
  summary: "Issue an operator API token (hashed, scoped, expiring); shown once",
  tag,
  status: 201,
  permission: "operatorToken:create",
  body: createOperatorTokenBody,
  async handler({ body, principal, authz }) {
    // A tenant-bound token only for a tenant the operator may read: never a way to widen access.
    if (body.tenantId !== null && !authz.can("tenant:read", { tenantId: body.tenantId })) {
      throw new ApiError("FORBIDDEN", `Forbidden: you hold no role in tenant ${body.tenantId}.`);
    }
    const { cp, context } = await controlPlane();
    const issued = await cp.issueOperatorToken(
      context.db,
      {
        operatorId: principal.operator.id,
        name: body.name,
        expiresAt: new Date(Date.now() + body.expiresInDays * DAY_MS),
        readOnly: body.readOnly,
        tenantId: body.tenantId,
      },
      actorOf(principal),
    );
    return created(issued);
  },
});

export const revokeOperatorToken = operation({
  method: "DELETE",
  path: "/operator-tokens/{tokenId}",
  summary: "Revoke one of the caller's tokens",
  tag,
  permission: "operatorToken:delete",
  async handler({ params, principal }) {
    const { cp, context } = await controlPlane();
    const input = { operatorId: principal.operator.id, tokenId: param(params, "tokenId") };
    return toJson(unwrap(await cp.revokeOperatorToken(context.db, input, actorOf(principal))));
  },
});

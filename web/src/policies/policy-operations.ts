import { createPolicyBody, dryRunPolicyBody, updatePolicyBody } from "@only1mcp/control-plane/schemas";
import { z } from "zod";
import { actorOf, created, operation, param, tenantOf, toJson, unwrap } from "../api/operation.ts";
import { controlPlane } from "../control-plane.ts";

const tag = "Policies";

export const listPolicies = operation({
  method: "GET",
  path: "/tenants/{tenantId}/policies",
  summary: "The tenant's policies, each marked published, changed or unpublished",
  tag,
  permission: "policy:read",
  async handler({ tenantId }) {
    const { cp, context } = await controlPlane();
    return toJson(await cp.listPolicies(context.db, tenantOf(tenantId)));
  },
});

export const createPolicy = operation({
  method: "POST",
  path: "/tenants/{tenantId}/policies",
  summary: "Create a policy; its rules are validated by the data plane's policy schema",
  tag,
  status: 201,
  permission: "policy:create",
  body: createPolicyBody,
  async handler({ tenantId, body, principal }) {
    const { cp, context } = await controlPlane();
    return created(
      unwrap(await cp.createPolicy(context.db, { tenantId: tenantOf(tenantId), ...body }, actorOf(principal))),
    );
  },
});

export const updatePolicy = operation({
  method: "PATCH",
  path: "/tenants/{tenantId}/policies/{policyId}",
  summary: "Change a policy's name or rules",
  tag,
  permission: "policy:update",
  body: updatePolicyBody,
  async handler({ tenantId, params, body, principal }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), policyId: param(params, "policyId"), ...body };
    return toJson(unwrap(await cp.updatePolicy(context.db, input, actorOf(principal))));
  },
});

export const deletePolicy = operation({
  method: "DELETE",
  path: "/tenants/{tenantId}/policies/{policyId}",
  summary: "Delete a policy (enforced until the next publish)",
  tag,
  permission: "policy:delete",
  async handler({ tenantId, params, principal }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), policyId: param(params, "policyId") };
    return toJson(unwrap(await cp.deletePolicy(context.db, input, actorOf(principal))));
  },
});

export const diffPolicyBody = z.strictObject({ rules: z.unknown().optional() });

export const diffPolicy = operation({
  method: "POST",
  path: "/tenants/{tenantId}/policies/{policyId}/diff",
  summary: "Diff the stored policy (or a draft's rules) against the published snapshot",
  tag,
  permission: "policy:read",
  body: diffPolicyBody,
  async handler({ tenantId, params, body }) {
    const { cp, context } = await controlPlane();
    const input = { tenantId: tenantOf(tenantId), policyId: param(params, "policyId"), draft: body.rules };
    return toJson(unwrap(await cp.diffPolicy(context.db, input)));
  },
});

export const dryRunPolicy = operation({
  method: "POST",
  path: "/tenants/{tenantId}/policies/dry-run",
  summary:
    "Replay the last N days of recorded calls against candidate rules (in place of policyId, or added) with the data plane's policy engine; reports callers newly denied or allowed",
  tag,
  // The answer is made of audit records (which key called which tool): auditors and up.
  permission: "audit:read",
  body: dryRunPolicyBody,
  async handler({ tenantId, body }) {
    const { cp, context } = await controlPlane();
    return toJson(unwrap(await cp.dryRunCandidatePolicy(context.db, { tenantId: tenantOf(tenantId), ...body })));
  },
});

import { createPolicyBody, dryRunPolicyBody, updatePolicyBody } from "@only1mcp/control-plane/schemas";
import { z } from "zod";
import { operations } from "../api/domain-operation.ts";
import { unwrap } from "../api/operation.ts";

const operation = operations("Policies");

export const listPolicies = operation({
  method: "GET",
  path: "/tenants/{tenantId}/policies",
  summary: "The tenant's policies, each marked published, changed or unpublished",
  permission: "policy:read",
  run: async ({ cp, db, tenant }) => cp.listPolicies(db, tenant()),
});

export const createPolicy = operation({
  method: "POST",
  path: "/tenants/{tenantId}/policies",
  summary: "Create a policy; its rules are validated by the data plane's policy schema",
  status: 201,
  permission: "policy:create",
  body: createPolicyBody,
  run: async ({ cp, db, actor, tenant, body }) =>
    unwrap(await cp.createPolicy(db, { tenantId: tenant(), ...body }, actor)),
});

export const updatePolicy = operation({
  method: "PATCH",
  path: "/tenants/{tenantId}/policies/{policyId}",
  summary: "Change a policy's name or rules",
  permission: "policy:update",
  body: updatePolicyBody,
  run: async ({ cp, db, actor, tenant, param, body }) =>
    unwrap(await cp.updatePolicy(db, { tenantId: tenant(), policyId: param("policyId"), ...body }, actor)),
});

export const deletePolicy = operation({
  method: "DELETE",
  path: "/tenants/{tenantId}/policies/{policyId}",
  summary: "Delete a policy (enforced until the next publish)",
  permission: "policy:delete",
  run: async ({ cp, db, actor, tenant, param }) =>
    unwrap(await cp.deletePolicy(db, { tenantId: tenant(), policyId: param("policyId") }, actor)),
});

export const diffPolicyBody = z.strictObject({ rules: z.unknown().optional() });

export const diffPolicy = operation({
  method: "POST",
  path: "/tenants/{tenantId}/policies/{policyId}/diff",
  summary: "Diff the stored policy (or a draft's rules) against the published snapshot",
  permission: "policy:read",
  body: diffPolicyBody,
  run: async ({ cp, db, tenant, param, body }) =>
    unwrap(await cp.diffPolicy(db, { tenantId: tenant(), policyId: param("policyId"), draft: body.rules })),
});

export const dryRunPolicy = operation({
  method: "POST",
  path: "/tenants/{tenantId}/policies/dry-run",
  summary:
    "Replay the last N days of recorded calls against candidate rules (in place of policyId, or added) with the data plane's policy engine; reports callers newly denied or allowed",
  // The answer is made of audit records (which key called which tool): auditors and up.
  permission: "audit:read",
  body: dryRunPolicyBody,
  run: async ({ cp, db, tenant, body }) => unwrap(await cp.dryRunCandidatePolicy(db, { tenantId: tenant(), ...body })),
});

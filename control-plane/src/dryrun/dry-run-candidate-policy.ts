import { RecordedCallJudge } from "@only1mcp/data-plane/policy-engine";
import type { z } from "zod";
import type { Db } from "../db/open-database.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";
import { dryRunPolicyBody } from "../policies/policy-schemas.ts";
import { type DryRunResult, dryRunPolicies } from "./dry-run-policies.ts";

export type CandidateDryRun = DryRunResult & {
  days: number;
  /** The policy the candidate rules replace, or null for a new policy. */
  policyId: string | null;
  /** How many policies the candidate set has (the tenant's stored ones, candidate included). */
  policies: number;
};

const CANDIDATE_ID = "pol_candidate";

/**
 * The policy dry run for one tenant: its stored policies with the candidate rules in
 * place of `policyId` (or added), compiled by the data plane's own policy engine, and
 * asked about every call recorded in the last `days`, each caller with its key's
 * current roles (a deleted key has none).
 */
export async function dryRunCandidatePolicy(
  db: Db,
  input: { tenantId: string; now?: Date } & z.input<typeof dryRunPolicyBody>,
): Promise<Outcome<CandidateDryRun>> {
  const { tenantId, now, ...rest } = input;
  const body = dryRunPolicyBody.parse(rest);
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } });
  if (!tenant) return fail("NOT_FOUND", "No such tenant.");
  const stored = await db.policy.findMany({ where: { tenantId }, orderBy: { id: "asc" } });
  if (body.policyId && !stored.some((policy) => policy.id === body.policyId))
    return fail("NOT_FOUND", "No such policy in this tenant.");
  const candidate = { id: body.policyId ?? CANDIDATE_ID, name: "candidate", rules: body.rules };
  const policies = [
    ...stored.filter((policy) => policy.id !== body.policyId).map(({ id, name, rules }) => ({ id, name, rules })),
    candidate,
  ];
  // Every key the tenant has had (revoked ones too: their calls are in the window), with
  // the roles `appliesTo.roles` binds to.
  const keys = await db.apiKey.findMany({ where: { tenantId }, select: { id: true, roles: true } });
  const rolesByKey = new Map(keys.map((key) => [key.id, key.roles]));
  const judge = new RecordedCallJudge({ id: tenantId, policies }, (keyId) =>
    keyId ? (rolesByKey.get(keyId) ?? []) : [],
  );
  const result = await dryRunPolicies(db, {
    days: body.days,
    tenantId,
    ...(now ? { now } : {}),
    // Tool calls only: prompts and resources have other rules, left as recorded.
    decide: (call) =>
      call.method === "tools/call" && call.tool && call.tenantId
        ? judge.decide({ ...call, tenantId: call.tenantId, tool: call.tool }).decision
        : (call.decision as "allow" | "deny"),
  });
  return ok({ ...result, days: body.days, policyId: body.policyId ?? null, policies: policies.length });
}

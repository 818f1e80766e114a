import type { Db } from "../db/open-database.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";
import { type DiffLine, jsonLineDiff } from "./json-line-diff.ts";
import { publishedPolicies } from "./published-policies.ts";

export type PolicyDiff = {
  policyId: string;
  publishedVersion: number | null;
  published: unknown;
  draft: unknown;
  changed: boolean;
  lines: DiffLine[];
};

/**
 * The diff between a policy as the published snapshot has it and a draft (the stored
 * policy, or rules the editor has not saved yet).
 */
export async function diffPolicy(
  db: Db,
  input: { tenantId: string; policyId: string; draft?: unknown },
): Promise<Outcome<PolicyDiff>> {
  const row = await db.policy.findFirst({ where: { id: input.policyId, tenantId: input.tenantId } });
  if (!row) return fail("NOT_FOUND", "No such policy in this tenant.");
  const published = await publishedPolicies(db, input.tenantId);
  const live = published.policies.find((policy) => policy.id === row.id)?.rules;
  const draft = input.draft ?? row.rules;
  const lines = jsonLineDiff(live, draft);
  return ok({
    policyId: row.id,
    publishedVersion: published.version,
    published: live ?? null,
    draft,
    changed: lines.some((line) => line.op !== "same"),
    lines,
  });
}

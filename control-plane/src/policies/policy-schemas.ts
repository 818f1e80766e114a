import { policyDocumentSchema } from "@only1mcp/data-plane/policy";
import { z } from "zod";

/**
 * The policy document is the data plane's own schema (`policyDocumentSchema`): the
 * console form, the JSON editor, the API and the snapshot compiler all validate with it.
 */
export const policyName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, "letters, digits, spaces, '_', '.', '-'");

export const createPolicyBody = z.strictObject({ name: policyName, rules: policyDocumentSchema });
export type CreatePolicyBody = z.input<typeof createPolicyBody>;

export const updatePolicyBody = z.strictObject({
  name: policyName.optional(),
  rules: policyDocumentSchema.optional(),
});
export type UpdatePolicyBody = z.input<typeof updatePolicyBody>;

/**
 * POST /tenants/{tenantId}/policies/dry-run: candidate rules for an existing policy
 * (`policyId`) or a new one, replayed against the last `days` of recorded calls.
 */
export const dryRunPolicyBody = z.strictObject({
  days: z.number().int().min(1).max(365).default(7),
  policyId: z.string().min(1).max(64).optional(),
  rules: policyDocumentSchema,
});
export type DryRunPolicyBody = z.input<typeof dryRunPolicyBody>;

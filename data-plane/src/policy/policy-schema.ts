import { z } from "zod";

/**
 * A tenant policy document as operators write it (console form, JSON editor, API)
 * and as it travels in the snapshot. The policy engine refines this schema; the
 * console and API validate with this same export, so they never disagree.
 */
export const policyDocumentSchema = z.record(z.string(), z.unknown());
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

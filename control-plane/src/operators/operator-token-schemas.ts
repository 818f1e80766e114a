import { z } from "zod";

/** POST /api/v1/operator-tokens: the token is shown once in the response. */
export const createOperatorTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** Days until the token expires; tokens always expire (at most a year). */
  expiresInDays: z.number().int().min(1).max(365).default(90),
  readOnly: z.boolean().default(false),
  /** Restrict the token to one tenant. */
  tenantId: z.string().min(1).max(64).nullable().default(null),
});
export type CreateOperatorTokenBody = z.output<typeof createOperatorTokenBody>;

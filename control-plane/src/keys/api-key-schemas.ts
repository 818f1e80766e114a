import { z } from "zod";

/** A key role: what `appliesTo.roles` in a policy names. */
export const apiKeyRole = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, "letters, digits, '_', '.', ':', '-'");

/** POST /api/v1/tenants/{tenantId}/api-keys: the key is shown once in the response. */
export const createApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** Days until the key expires; null for a key that does not expire. */
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(null),
  /** Roles the data plane's policies bind to (`appliesTo.roles`, CASL conditions on `roles`). */
  roles: z.array(apiKeyRole).max(64).default([]),
});
export type CreateApiKeyBody = z.output<typeof createApiKeyBody>;

/** POST …/api-keys/{keyId}/rotate: a new key; the old one keeps working for the overlap window. */
export const rotateApiKeyBody = z.strictObject({
  overlapSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .default(24 * 3600),
});
export type RotateApiKeyBody = z.output<typeof rotateApiKeyBody>;

export const listApiKeysQuery = z.strictObject({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListApiKeysQuery = z.output<typeof listApiKeysQuery>;

import { z } from "zod";

/** A tenant secret's name: what `secret://<name>` in an upstream's env or headers refers to. */
export const secretName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, '_', '.', '-'");

/** POST /api/v1/tenants/{tenantId}/secrets: the value is stored encrypted and never returned. */
export const storeSecretBody = z.strictObject({
  name: secretName,
  value: z
    .string()
    .min(1)
    .max(64 * 1024),
});
export type StoreSecretBody = z.input<typeof storeSecretBody>;

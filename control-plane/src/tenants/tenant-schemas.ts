import { z } from "zod";

export const tenantSlug = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and '-'");

export const updateTenantBody = z.strictObject({ name: z.string().trim().min(1).max(200) });
export type UpdateTenantBody = z.output<typeof updateTenantBody>;

/** POST /api/v1/tenants. */
export const createTenantBody = z.strictObject({ slug: tenantSlug, name: z.string().trim().min(1).max(200) });

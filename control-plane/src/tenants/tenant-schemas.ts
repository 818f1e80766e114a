import { z } from "zod";

export const tenantSlug = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and '-'");

export const updateTenantBody = z.strictObject({ name: z.string().trim().min(1).max(200) });
export type UpdateTenantBody = z.output<typeof updateTenantBody>;

/** PUT /api/v1/tenants/{tenantId}/audit-retention: how long data-plane audit events are kept. */
export const setAuditRetentionBody = z.strictObject({ days: z.number().int().min(1).max(3650) });
export type SetAuditRetentionBody = z.output<typeof setAuditRetentionBody>;

/** POST /api/v1/tenants. */
export const createTenantBody = z.strictObject({ slug: tenantSlug, name: z.string().trim().min(1).max(200) });

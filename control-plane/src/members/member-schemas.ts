import { z } from "zod";

export const roleSchema = z.enum(["owner", "admin", "auditor", "viewer"]);

/** POST /api/v1/tenants/{tenantId}/members: by email; an unknown email becomes an SSO-only operator. */
export const addMemberBody = z.strictObject({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200).optional(),
  role: roleSchema,
});
export type AddMemberBody = z.output<typeof addMemberBody>;

export const updateMemberBody = z.strictObject({ role: roleSchema });
export type UpdateMemberBody = z.output<typeof updateMemberBody>;

import { z } from "zod";

/** The audit filter as a query string (validated again, fully, by the control plane). */
export const auditQuery = z.object({
  source: z.enum(["data-plane", "admin"]).optional(),
  tenantId: z.string().min(1).optional(),
  kind: z.string().min(1).max(64).optional(),
  decision: z.string().min(1).max(32).optional(),
  keyId: z.string().min(1).optional(),
  tool: z.string().min(1).max(256).optional(),
  action: z.string().min(1).max(128).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

import { z } from "zod";

/**
 * The audit-log filter: the query string of `GET /api/v1/audit/events` and `/audit/export`
 * (parsed by the API route builder) and the input of `listAuditEvents` (parsed again there,
 * for callers that are not the API). One schema for both, so they cannot disagree.
 */
export const auditEventFilterSchema = z.object({
  source: z.enum(["data-plane", "admin"]).default("data-plane"),
  tenantId: z.string().min(1).optional(),
  kind: z.string().min(1).max(64).optional(),
  decision: z.string().min(1).max(32).optional(),
  keyId: z.string().min(1).optional(),
  tool: z.string().min(1).max(256).optional(),
  action: z.string().min(1).max(128).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type AuditEventFilter = z.input<typeof auditEventFilterSchema>;

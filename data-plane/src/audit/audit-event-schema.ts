import { z } from "zod";

/**
 * What a data plane records per decision and ships, batched, to the control plane
 * (`POST /api/v1/fleet/audit`). Ingestion is idempotent by `id`. Arguments are
 * hashed (sha256 of their canonical JSON), never sent in clear.
 */
export const auditEventV1Schema = z.strictObject({
  id: z.uuid(),
  time: z.iso.datetime({ offset: true }),
  nodeId: z.string().min(1),
  tenantId: z.string().nullable(),
  keyId: z.string().nullable(),
  kind: z.enum(["authentication", "authorization", "call"]),
  method: z.string().max(128).nullable(),
  server: z.string().max(128).nullable(),
  /** The name the client used (prefixed) and the upstream's own name. */
  tool: z.string().max(256).nullable(),
  originalTool: z.string().max(256).nullable(),
  decision: z.enum(["allow", "deny", "error"]),
  /** A stable code: VALID, NOT_FOUND, EXPIRED, REVOKED, FORBIDDEN, RATE_LIMITED, UPSTREAM_ERROR… */
  code: z.string().max(64),
  latencyMs: z.number().nonnegative().nullable(),
  argsSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  clientAddress: z.string().max(64).nullable(),
});
export type AuditEventV1 = z.infer<typeof auditEventV1Schema>;

export const auditBatchV1Schema = z.strictObject({
  nodeId: z.string().min(1),
  events: z.array(auditEventV1Schema).min(1).max(5000),
});
export type AuditBatchV1 = z.infer<typeof auditBatchV1Schema>;

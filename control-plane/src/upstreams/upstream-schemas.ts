import { z } from "zod";
import { upstreamConfigSchema } from "./upstream-config.ts";

export const upstreamName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "letters, digits, '_', '.', '-'");

/** POST /api/v1/tenants/{tenantId}/upstreams: a stdio, Streamable HTTP or HTTP+SSE MCP server. */
export const createUpstreamBody = z.strictObject({ name: upstreamName, config: upstreamConfigSchema });
export type CreateUpstreamBody = z.input<typeof createUpstreamBody>;

export const updateUpstreamBody = z.strictObject({
  config: upstreamConfigSchema.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateUpstreamBody = z.input<typeof updateUpstreamBody>;

/** POST …/upstreams/test: a definition to try before saving it. */
export const testUpstreamBody = z.strictObject({ config: upstreamConfigSchema });

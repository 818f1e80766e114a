import { observabilitySchema, securitySettingsSchema } from "@only1mcp/data-plane/security";
import { z } from "zod";

/**
 * PUT /api/v1/security-settings: the seed's recommended configuration as a document —
 * `security:` (tls, auth, rate_limiting, sandbox, limits) and the top-level
 * `observability:` — validated by the data plane's own schema, so what is pasted here is
 * exactly what the data planes enforce (snake_case keys, unknown keys refused).
 */
export const updateSecuritySettingsBody = z.strictObject({
  security: securitySettingsSchema,
  observability: observabilitySchema.optional(),
});
export type UpdateSecuritySettingsBody = z.output<typeof updateSecuritySettingsBody>;

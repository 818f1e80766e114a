import { tokenExchangeSchema, upstreamTlsSchema } from "@only1mcp/data-plane/snapshot";
import { z } from "zod";

/** What an UpstreamServer row's transport + config columns may hold. */
export const upstreamConfigSchema = z.discriminatedUnion("transport", [
  z.strictObject({
    transport: z.literal("stdio"),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().optional(),
    /** One process per client session (the data plane's `stateful`); absent = shared. */
    stateful: z.boolean().optional(),
  }),
  z.strictObject({
    transport: z.literal("http"),
    url: z.url({ protocol: /^https?$/ }),
    /** More endpoints of the same server (the data plane balances and fails over). */
    replicas: z
      .array(z.url({ protocol: /^https?$/ }))
      .max(16)
      .optional(),
    headers: z.record(z.string(), z.string()).default({}),
    /** mTLS / CA / certificate pins toward the upstream (the data plane's schema). */
    tls: upstreamTlsSchema.optional(),
    /** RFC 8693 per-user tokens (client secret from the data plane's environment). */
    tokenExchange: tokenExchangeSchema.optional(),
  }),
]);
export type UpstreamConfig = z.infer<typeof upstreamConfigSchema>;

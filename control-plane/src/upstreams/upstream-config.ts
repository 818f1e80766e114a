import { httpUpstreamSchema, sseUpstreamSchema, stdioUpstreamSchema } from "@only1mcp/data-plane/snapshot";
import { z } from "zod";

/**
 * What an UpstreamServer row's transport + config columns may hold: the data plane's
 * own upstream schemas (one source of truth), less the id and name the row carries.
 * - `stdio`: a local process (`stateful`: one process per client session).
 * - `http`: Streamable HTTP (`replicas`: more endpoints of the same server; `tls`;
 *   `tokenExchange`).
 * - `sse`: the older HTTP+SSE transport (2024-11-05); `url` is its SSE stream.
 */
export const upstreamConfigSchema = z.discriminatedUnion("transport", [
  stdioUpstreamSchema.omit({ id: true, name: true }),
  httpUpstreamSchema.omit({ id: true, name: true }),
  sseUpstreamSchema.omit({ id: true, name: true }),
]);
export type UpstreamConfig = z.infer<typeof upstreamConfigSchema>;

// Test-only: a raw 2026-07-28 MCP request (fetch, no SDK), shared by data-plane and web suites.

/** The per-request envelope a raw 2026-07-28 request carries in `params._meta`. */
export const STATELESS_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

/** One raw stateless (2026-07-28) request: one POST (one rate-limit point), headers as the era wants them. */
export function postStateless(
  baseUrl: string,
  key: string,
  method: string,
  params: Record<string, unknown> = {},
): Promise<Response> {
  return fetch(`${baseUrl}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": method,
      ...(typeof params.name === "string" ? { "mcp-name": params.name } : {}),
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: { ...params, _meta: STATELESS_META } }),
  });
}

// Test-only: a real MCP server (SDK v1, stdio) serving resources whose every read is
// numbered, so a test can tell a cached answer from a fresh one. TENANT_MARK marks
// whose process answered. Some resources carry the 2026-07-28 cache hints
// (`ttlMs`, `cacheScope`) on their results.
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

const server = new McpServer({ name: "notes", version: "1.0.0" });
let reads = 0;
const mark = process.env.TENANT_MARK ?? "none";

function answer(uri: string, hints: Record<string, unknown> = {}) {
  reads++;
  return { contents: [{ uri, mimeType: "text/plain", text: `${mark}:${uri}:read-${reads}` }], ...hints };
}

server.registerResource("counter", "notes://public/counter", { mimeType: "text/plain" }, async (uri) =>
  answer(uri.href),
);
server.registerResource("mine", "notes://public/mine", { mimeType: "text/plain" }, async (uri) => answer(uri.href));
server.registerResource("hinted-private", "notes://public/hinted-private", {}, async (uri) =>
  answer(uri.href, { ttlMs: 60_000, cacheScope: "private" }),
);
server.registerResource("hinted-zero", "notes://public/hinted-zero", {}, async (uri) =>
  answer(uri.href, { ttlMs: 0, cacheScope: "public" }),
);
server.registerResource("secret", "notes://private/secret", {}, async (uri) => answer(uri.href));
server.registerResource(
  "public-note",
  new ResourceTemplate("notes://public/by-name/{name}", { list: undefined }),
  {},
  async (uri) => answer(uri.href),
);
server.registerResource(
  "private-note",
  new ResourceTemplate("notes://private/by-name/{name}", { list: undefined }),
  {},
  async (uri) => answer(uri.href),
);

// No tools: a resource-only server (no tools capability) must connect all the same.
await server.connect(new StdioServerTransport());

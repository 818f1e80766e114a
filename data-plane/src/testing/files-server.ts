// Test-only: a real MCP server built with the SDK, over stdio, standing in for a
// file-system upstream. It keeps "files" in memory and reports what it was asked.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const files = new Map<string, string>([["/tmp/hello.txt", "hello"]]);
const server = new McpServer({ name: "files", version: "1.0.0" });

server.registerTool(
  "read_file",
  {
    description: "Read a file",
    inputSchema: { path: z.string() },
    annotations: { readOnlyHint: true },
  },
  async ({ path }) => ({ content: [{ type: "text", text: files.get(path) ?? "" }] }),
);
server.registerTool(
  "write_file",
  { description: "Write a file", inputSchema: { path: z.string(), content: z.string() } },
  async ({ path, content }) => {
    files.set(path, content);
    return { content: [{ type: "text", text: `wrote ${path}` }] };
  },
);
server.registerTool(
  "delete_file",
  { description: "Delete a file", inputSchema: { path: z.string() } },
  async ({ path }) => ({ content: [{ type: "text", text: `deleted ${String(files.delete(path))}` }] }),
);
server.registerTool(
  "whoami",
  { description: "Echoes the environment variable TENANT_MARK and the auth header it saw", inputSchema: {} },
  async (_args, extra) => ({
    content: [
      {
        type: "text",
        text: JSON.stringify({
          mark: process.env.TENANT_MARK ?? null,
          auth: extra.requestInfo?.headers?.authorization ?? null,
        }),
      },
    ],
  }),
);

await server.connect(new StdioServerTransport());

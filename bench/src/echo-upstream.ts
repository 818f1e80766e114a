// The benchmark's upstream: an MCP server with one `echo` tool, over stdio or
// Streamable HTTP (stateless, JSON responses), built with the official SDK.
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

function echoServer(): McpServer {
  const server = new McpServer({ name: "bench-echo", version: "1.0.0" });
  server.registerTool(
    "echo",
    { description: "Echoes its message", inputSchema: { message: z.string() }, annotations: { readOnlyHint: true } },
    async ({ message }) => ({ content: [{ type: "text", text: message }] }),
  );
  return server;
}

const mode = process.argv[2] ?? "stdio";
if (mode === "stdio") {
  await echoServer().connect(new StdioServerTransport());
} else {
  const port = Number(process.argv[3] ?? 0);
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || "null") as unknown;
    const server = echoServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  http.listen(port, "127.0.0.1", () => {
    const address = http.address();
    process.stdout.write(`${JSON.stringify({ port: typeof address === "object" ? address?.port : port })}\n`);
  });
}

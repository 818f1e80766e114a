// Test-only: an SDK v1 server on the older HTTP+SSE transport (GET /sse + POST /messages),
// as 2024-11-05 servers speak it, with `echo` and a `sample` tool that asks the client.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { CreateMessageResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

export async function startSseUpstream(): Promise<{ url: string; close(): Promise<void> }> {
  const transports = new Map<string, SSEServerTransport>();
  const http: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === "/sse") {
      const transport = new SSEServerTransport("/messages", res);
      transports.set(transport.sessionId, transport);
      res.on("close", () => transports.delete(transport.sessionId));
      const server = new McpServer({ name: "sse-upstream", version: "1.0.0" });
      server.registerTool(
        "echo",
        { description: "echo", inputSchema: { message: z.string() } },
        async ({ message }) => ({
          content: [{ type: "text", text: `sse:${message}` }],
        }),
      );
      server.registerTool("sample", { description: "asks the client for a sample" }, async (extra) => {
        const result = await extra.sendRequest(
          {
            method: "sampling/createMessage",
            params: { messages: [{ role: "user", content: { type: "text", text: "hi" } }], maxTokens: 5 },
          },
          CreateMessageResultSchema,
        );
        return { content: [{ type: "text", text: `sampled:${JSON.stringify(result.content)}` }] };
      });
      await server.connect(transport);
      return;
    }
    if (req.method === "POST" && url.pathname === "/messages") {
      const transport = transports.get(url.searchParams.get("sessionId") ?? "");
      if (!transport) {
        res.statusCode = 404;
        return res.end();
      }
      return transport.handlePostMessage(req, res);
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sse`,
    async close() {
      await Promise.allSettled([...transports.values()].map((t) => t.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

// Test-only: a stateful SDK v1 Streamable HTTP server whose `ask` tool sends the
// client a sampling, an elicitation and a roots request while the call runs (on
// the call's own SSE answer), then returns what the client answered. It can be
// stopped and started again on the same port (its sessions are then gone: 404).
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CreateMessageResultSchema,
  ElicitResultSchema,
  ListRootsResultSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

export type AskingUpstream = {
  url: string;
  /** initialize requests seen (a re-initialise after a restart adds one). */
  initializations(): number;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
};

/** `label` marks its answers (`<label>:<message>`, `slow done by <label>`), to tell replicas apart. */
export async function startAskingHttpUpstream(
  options: { slowMs?: number; label?: string } = {},
): Promise<AskingUpstream> {
  const label = options.label;
  let transports = new Map<string, StreamableHTTPServerTransport>();
  let inits = 0;
  const makeServer = () => {
    const server = new McpServer({ name: "asking-upstream", version: "1.0.0" });
    server.registerTool("ask", { description: "asks the client three things" }, async (extra) => {
      const [sample, confirm, roots] = await Promise.all([
        extra.sendRequest(
          {
            method: "sampling/createMessage",
            params: { messages: [{ role: "user", content: { type: "text", text: "say hi" } }], maxTokens: 10 },
          },
          CreateMessageResultSchema,
        ),
        extra.sendRequest(
          {
            method: "elicitation/create",
            params: {
              message: "proceed?",
              requestedSchema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
            },
          },
          ElicitResultSchema,
        ),
        extra.sendRequest({ method: "roots/list" }, ListRootsResultSchema),
      ]);
      return { content: [{ type: "text", text: `answers:${JSON.stringify({ sample, confirm, roots })}` }] };
    });
    server.registerTool(
      "slow",
      { description: "answers after a while", inputSchema: { ms: z.number() } },
      async ({ ms }) => {
        await new Promise((r) => setTimeout(r, ms ?? options.slowMs ?? 1000));
        return { content: [{ type: "text", text: label ? `slow done by ${label}` : "slow done" }] };
      },
    );
    server.registerTool("echo", { description: "echo", inputSchema: { message: z.string() } }, async ({ message }) => ({
      content: [{ type: "text", text: `${label ?? "asking"}:${message}` }],
    }));
    return server;
  };
  let http: Server | undefined;
  let port = 0;
  const listen = async () => {
    http = createServer(async (req, res) => {
      const sessionId = req.headers["mcp-session-id"];
      const existing = typeof sessionId === "string" ? transports.get(sessionId) : undefined;
      if (existing) return existing.handleRequest(req, res);
      if (typeof sessionId === "string") {
        res.statusCode = 404;
        res.setHeader("content-type", "application/json");
        return res.end(
          JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32001, message: "Session not found" } }),
        );
      }
      if (req.method !== "POST") {
        res.statusCode = 400;
        return res.end();
      }
      inits++;
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          transports.set(id, transport);
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) transports.delete(transport.sessionId);
      };
      await makeServer().connect(transport);
      await transport.handleRequest(req, res);
    });
    await new Promise<void>((resolve) => http?.listen(port, "127.0.0.1", resolve));
    port = (http.address() as AddressInfo).port;
  };
  await listen();
  const stop = async () => {
    const server = http;
    http = undefined;
    if (!server) return;
    const all = [...transports.values()];
    transports = new Map();
    await Promise.allSettled(all.map((t) => t.close()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    initializations: () => inits,
    stop,
    start: listen,
    close: stop,
  };
}

// Test-only: real MCP upstream servers built with the official SDKs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type ServerOptions as HttpsOptions } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { createMcpHandler, McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";

/**
 * An SDK v2 server (both protocol eras) on node:http — or node:https with `tls` (then
 * `clientNames` collects the CN of each client certificate presented) — with `echo`
 * and `add` tools and a prompt.
 */
export async function startV2HttpUpstream(
  tls?: HttpsOptions,
  /** Checked before the SDK sees a POST: a reason refuses it with 401 (e.g. a bearer token check). */
  guard?: (authorization: string | undefined, message: unknown) => Promise<string | undefined>,
): Promise<{ url: string; clientNames: string[]; close(): Promise<void> }> {
  const clientNames: string[] = [];
  const handler = createMcpHandler(() => {
    const server = new McpServer({ name: "v2-upstream", version: "1.0.0" });
    server.registerTool(
      "echo",
      { description: "v2 echo", inputSchema: { message: z.string() } },
      async ({ message }) => ({
        content: [{ type: "text", text: `v2:${message}` }],
      }),
    );
    server.registerTool(
      "add",
      { description: "adds", inputSchema: { a: z.number(), b: z.number() } },
      async ({ a, b }) => ({
        content: [{ type: "text", text: String(a + b) }],
      }),
    );
    server.registerPrompt("greet", { description: "a greeting", argsSchema: { who: z.string() } }, ({ who }) => ({
      messages: [{ role: "user", content: { type: "text", text: `hello ${who}` } }],
    }));
    return server;
  });
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (tls) {
      const name = (req.socket as TLSSocket).getPeerCertificate?.()?.subject?.CN;
      if (typeof name === "string" && !clientNames.includes(name)) clientNames.push(name);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const body =
      chunks.length > 0 && req.method !== "GET" && req.method !== "DELETE" ? Buffer.concat(chunks) : undefined;
    if (guard && body) {
      const message = JSON.parse(body.toString("utf8")) as { id?: unknown };
      const refused = await guard(req.headers.authorization, message);
      if (refused) {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ jsonrpc: "2.0", id: message.id ?? null, error: { code: -32001, message: refused } }));
        return;
      }
    }
    const response = await handler.fetch(
      new Request(`http://127.0.0.1${req.url ?? "/"}`, { method: req.method ?? "GET", headers, body }),
    );
    res.statusCode = response.status;
    response.headers.forEach((value, name) => {
      res.setHeader(name, value);
    });
    if (!response.body) return void res.end();
    const reader = response.body.getReader();
    res.on("close", () => void reader.cancel().catch(() => {}));
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      res.write(value);
    }
    res.end();
  };
  const http: Server = tls ? createHttpsServer(tls, serve) : createServer(serve);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}/mcp`,
    clientNames,
    async close() {
      await handler.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

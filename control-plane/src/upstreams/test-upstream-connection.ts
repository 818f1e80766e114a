import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { Db } from "../db/open-database.ts";
import { fail, type Outcome, ok } from "../outcome/outcome.ts";
import { type UpstreamConfig, upstreamConfigSchema } from "./upstream-config.ts";

export type ConnectionTest =
  | { reachable: true; serverName: string | null; tools: string[]; latencyMs: number }
  | { reachable: false; error: string; latencyMs: number };

function transportFor(config: UpstreamConfig): Transport {
  if (config.transport === "stdio") {
    return new StdioClientTransport({
      command: config.command,
      args: config.args,
      env: { ...(process.env.PATH ? { PATH: process.env.PATH } : {}), ...config.env },
      ...(config.cwd ? { cwd: config.cwd } : {}),
      stderr: "ignore",
    });
  }
  if (config.transport === "sse")
    // The older HTTP+SSE transport: the SDK keeps its client for servers not yet moved on.
    return new SSEClientTransport(new URL(config.url), { requestInit: { headers: config.headers } });
  return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers } });
}

/**
 * "Test connection": connects to the server with the MCP SDK client, lists its tools
 * and closes. A server that does not answer is an outcome (reachable: false), never a throw.
 */
export async function testConnection(config: UpstreamConfig, timeoutMs = 10_000): Promise<ConnectionTest> {
  const started = performance.now();
  const client = new Client({ name: "only1mcp-console", version: "0.1.0" });
  const elapsed = () => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([client.connect(transportFor(config)), timeout]);
    const { tools } = await Promise.race([client.listTools(), timeout]);
    return {
      reachable: true,
      serverName: client.getServerVersion()?.name ?? null,
      tools: tools.map((tool) => tool.name),
      latencyMs: elapsed(),
    };
  } catch (error) {
    return { reachable: false, error: error instanceof Error ? error.message : String(error), latencyMs: elapsed() };
  } finally {
    clearTimeout(timer);
    await client.close().catch(() => undefined);
  }
}

/** Tests a stored upstream (with its real, unmasked configuration). */
export async function testUpstreamConnection(
  db: Db,
  input: { tenantId: string; upstreamId: string },
): Promise<Outcome<ConnectionTest>> {
  const row = await db.upstreamServer.findFirst({ where: { id: input.upstreamId, tenantId: input.tenantId } });
  if (!row) return fail("NOT_FOUND", "No such upstream server in this tenant.");
  const config = upstreamConfigSchema.parse({ transport: row.transport, ...(row.config as object) });
  return ok(await testConnection(config));
}

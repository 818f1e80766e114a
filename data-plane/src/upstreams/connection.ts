import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { z } from "zod";
import type { Logger } from "../log/logger.ts";
import type { UpstreamEntry } from "../snapshots/schema.ts";
import { IsolatedStdioTransport } from "./stdio-transport.ts";

export type UpstreamState = "starting" | "ready" | "down";

/** A tool as the upstream described it: name plus every other field kept verbatim. */
export type UpstreamTool = { name: string } & Record<string, unknown>;

/** Accepts any object without copying it: results pass through the gateway as-is. */
const anyObject = z.custom<Record<string, unknown>>((v) => typeof v === "object" && v !== null && !Array.isArray(v));

const CONNECT_TIMEOUT_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;
const CLIENT_INFO = { name: "only1mcp-gateway", version: "0.1.0" };

/**
 * One upstream MCP server for one tenant, through the official SDK client. Connects,
 * lists tools, and reconnects with backoff when the upstream goes away.
 */
export class UpstreamConnection {
  state: UpstreamState = "starting";
  tools: readonly UpstreamTool[] = [];
  error: string | undefined;
  private client: Client | undefined;
  private transport: Transport | undefined;
  private closed = false;
  private attempts = 0;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly tenantId: string,
    readonly def: UpstreamEntry,
    readonly defHash: string,
    private readonly log: Logger,
    private readonly onChange: () => void,
  ) {}

  get pid(): number | undefined {
    return this.transport instanceof IsolatedStdioTransport ? this.transport.pid : undefined;
  }

  start(): void {
    void this.connect();
  }

  async callTool(name: string, args: unknown, meta: unknown, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const client = this.client;
    if (!client || this.state !== "ready") throw new UpstreamDownError(this.def.name, this.error);
    const params: Record<string, unknown> = { name };
    if (args !== undefined) params.arguments = args;
    if (meta !== undefined) params._meta = meta;
    return client.request({ method: "tools/call", params }, anyObject, signal ? { signal } : undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.teardown();
  }

  /** Synchronous last resort at process exit. */
  killNow(): void {
    if (this.transport instanceof IsolatedStdioTransport) this.transport.killNow();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    this.setState("starting", undefined);
    const transport = this.createTransport();
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    this.transport = transport;
    this.client = client;
    client.onerror = (error) => this.log.debug("upstream transport error", { error: error.message });
    try {
      await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS });
      const tools = await this.listAllTools(client);
      if (this.closed || this.client !== client) return;
      client.onclose = () => this.onLost(client, "upstream connection closed");
      this.tools = tools;
      this.attempts = 0;
      this.setState("ready", undefined);
      this.log.info("upstream ready", { tools: tools.length, pid: this.pid });
    } catch (error) {
      if (this.closed || this.client !== client) return;
      await this.teardown();
      this.onLost(undefined, `connect failed: ${(error as Error).message}`);
    }
  }

  private async listAllTools(client: Client): Promise<UpstreamTool[]> {
    const tools: UpstreamTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await client.request({ method: "tools/list", params: cursor ? { cursor } : {} }, anyObject, {
        timeout: CONNECT_TIMEOUT_MS,
      });
      const list = Array.isArray(result.tools) ? result.tools : [];
      for (const tool of list) {
        if (typeof tool === "object" && tool !== null && typeof (tool as { name?: unknown }).name === "string") {
          tools.push(tool as UpstreamTool);
        }
      }
      cursor = typeof result.nextCursor === "string" ? result.nextCursor : undefined;
      if (!cursor) break;
    }
    return tools;
  }

  private onLost(client: Client | undefined, reason: string): void {
    if (this.closed || (client && this.client !== client)) return;
    this.tools = [];
    this.setState("down", reason);
    this.log.warn("upstream down", { reason });
    void this.teardown();
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.attempts);
    this.attempts++;
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private async teardown(): Promise<void> {
    const client = this.client;
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    if (client) client.onclose = undefined;
    try {
      await client?.close();
    } catch {
      // closing anyway
    }
    // The SDK's close may return before the process is gone: close the transport ourselves too.
    try {
      await transport?.close();
    } catch {
      // closing anyway
    }
  }

  private createTransport(): Transport {
    const def = this.def;
    if (def.transport === "stdio") {
      return new IsolatedStdioTransport(def, (line) => this.log.debug("upstream stderr", { line }));
    }
    return new StreamableHTTPClientTransport(new URL(def.url), { requestInit: { headers: def.headers } });
  }

  private setState(state: UpstreamState, error: string | undefined): void {
    this.state = state;
    this.error = error;
    this.onChange();
  }
}

export class UpstreamDownError extends Error {
  constructor(
    readonly upstream: string,
    reason: string | undefined,
  ) {
    super(`upstream '${upstream}' is unavailable${reason ? `: ${reason}` : ""}`);
  }
}

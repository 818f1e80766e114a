import type { ServerResponse } from "node:http";

const LIST_CHANGED = [
  "notifications/tools/list_changed",
  "notifications/prompts/list_changed",
  "notifications/resources/list_changed",
] as const;
const KEEP_ALIVE_MS = 25_000;

type Listener = { res: ServerResponse; subscriptionId: string | number | undefined; eventId: number };

/**
 * Server-to-client streams per tenant: the legacy GET /mcp stream and the
 * 2026-07-28 `subscriptions/listen` stream. When a tenant's aggregated lists
 * change (an upstream said list_changed, came up, went down, or a snapshot
 * changed its upstreams), every open stream of that tenant is told.
 */
export class NotificationHub {
  private readonly byTenant = new Map<string, Set<Listener>>();
  private readonly keepAlive: NodeJS.Timeout;

  constructor() {
    this.keepAlive = setInterval(() => this.ping(), KEEP_ALIVE_MS);
    this.keepAlive.unref();
  }

  /** Opens an SSE stream on `res` for the tenant; it closes when the client goes away. */
  open(tenantId: string, res: ServerResponse, subscriptionId?: string | number): void {
    res.statusCode = 200;
    res.setHeader("Content-Type", "text/event-stream");
    res.setHeader("Cache-Control", "no-store");
    res.flushHeaders();
    const listener: Listener = { res, subscriptionId, eventId: 0 };
    let set = this.byTenant.get(tenantId);
    if (!set) {
      set = new Set();
      this.byTenant.set(tenantId, set);
    }
    set.add(listener);
    res.once("close", () => {
      set.delete(listener);
      if (set.size === 0 && this.byTenant.get(tenantId) === set) this.byTenant.delete(tenantId);
    });
    if (subscriptionId !== undefined) {
      write(listener, {
        jsonrpc: "2.0",
        method: "notifications/subscriptions/acknowledged",
        params: { _meta: { "io.modelcontextprotocol/subscriptionId": subscriptionId } },
      });
    }
  }

  tenantChanged(tenantId: string): void {
    const set = this.byTenant.get(tenantId);
    if (!set) return;
    for (const listener of set) {
      for (const method of LIST_CHANGED) {
        const params =
          listener.subscriptionId === undefined
            ? undefined
            : { _meta: { "io.modelcontextprotocol/subscriptionId": listener.subscriptionId } };
        write(listener, params ? { jsonrpc: "2.0", method, params } : { jsonrpc: "2.0", method });
      }
    }
  }

  get openStreams(): number {
    let n = 0;
    for (const set of this.byTenant.values()) n += set.size;
    return n;
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const set of this.byTenant.values()) for (const listener of set) listener.res.end();
    this.byTenant.clear();
  }

  private ping(): void {
    for (const set of this.byTenant.values()) for (const listener of set) listener.res.write(": keep-alive\n\n");
  }
}

function write(listener: Listener, message: unknown): void {
  if (listener.res.writableEnded || listener.res.destroyed) return;
  listener.res.write(`id: ${++listener.eventId}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
}

import { Pool } from "../outbound/pool.ts";
import type { SseUpstreamEntry } from "../snapshots/schema.ts";
import { SseParser } from "../sse/sse-parser.ts";
import type { HttpWireEvents } from "./http-wire.ts";
import type { MessageWire, RpcMessage } from "./rpc-peer.ts";

const ENDPOINT_TIMEOUT_MS = 30_000;

/**
 * The client side of the older HTTP+SSE transport (2024-11-05 servers): one GET
 * stream carries every message from the server (answers included); its first
 * event, `endpoint`, names where to POST ours (same origin only, as the transport
 * requires). The stream ending is the connection closing: it reconnects like any
 * lost upstream.
 */
export class SseWire implements MessageWire {
  private readonly pool: Pool;
  private readonly streamUrl: URL;
  private readonly headers: Record<string, string>;
  private postPath: string | undefined;
  private readonly abort = new AbortController();
  private closed = false;

  constructor(
    def: SseUpstreamEntry,
    private readonly events: Pick<HttpWireEvents, "onMessage" | "onClose" | "onRequestFailed">,
  ) {
    this.streamUrl = new URL(def.url);
    this.pool = new Pool(this.streamUrl.origin, { connections: 16, keepAliveTimeout: 30_000 });
    this.headers = { ...def.headers };
  }

  /** Opens the stream and waits for the `endpoint` event. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no endpoint event from the SSE upstream")), ENDPOINT_TIMEOUT_MS);
      timer.unref();
      const ready = (error?: Error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      void this.read(ready);
    });
  }

  send(text: string, id?: number): void {
    if (this.closed) return;
    const path = this.postPath;
    if (!path) {
      if (id !== undefined) this.events.onRequestFailed(id, new Error("SSE upstream has no endpoint yet"));
      return;
    }
    void this.pool
      .request({
        path,
        method: "POST",
        headers: { ...this.headers, "content-type": "application/json" },
        body: text,
      })
      .then(async ({ statusCode, body }) => {
        await body.dump();
        // The answer comes on the stream; only a refused POST fails the request here.
        if (statusCode >= 300 && id !== undefined) {
          this.events.onRequestFailed(id, new Error(`upstream answered HTTP ${statusCode}`));
        }
      })
      .catch((error: Error) => {
        if (id !== undefined) this.events.onRequestFailed(id, error);
      });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    await this.pool.close().catch(() => this.pool.destroy());
  }

  private async read(ready: (error?: Error) => void): Promise<void> {
    let announced = false;
    try {
      const { statusCode, body } = await this.pool.request({
        path: `${this.streamUrl.pathname}${this.streamUrl.search}`,
        method: "GET",
        headers: { ...this.headers, accept: "text/event-stream" },
        signal: this.abort.signal,
        bodyTimeout: 0,
      });
      if (statusCode !== 200) {
        await body.dump();
        throw new Error(`SSE upstream answered HTTP ${statusCode}`);
      }
      body.setEncoding("utf8");
      const parser = new SseParser((event) => {
        if (event.event === "endpoint") {
          const target = new URL(event.data.trim(), this.streamUrl);
          if (target.origin !== this.streamUrl.origin) {
            ready(new Error("SSE upstream named an endpoint on another origin"));
            void this.close();
            return;
          }
          this.postPath = `${target.pathname}${target.search}`;
          announced = true;
          ready();
          return;
        }
        if (event.event !== "message" || !event.data) return;
        try {
          const message = JSON.parse(event.data) as unknown;
          if (typeof message === "object" && message !== null) this.events.onMessage(message as RpcMessage);
        } catch {
          // not JSON: ignore the event
        }
      });
      for await (const chunk of body) parser.push(String(chunk));
      if (!announced) ready(new Error("SSE upstream stream ended before its endpoint event"));
      if (!this.closed) this.events.onClose("SSE upstream stream ended");
    } catch (error) {
      if (!announced) ready(error as Error);
      else if (!this.closed) this.events.onClose(`SSE upstream stream failed: ${(error as Error).message}`);
    }
  }
}

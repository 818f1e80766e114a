import { Pool, type PoolOptions } from "../outbound/pool.ts";
import type { HttpUpstreamEntry } from "../snapshots/schema.ts";
import { SseParser } from "../sse/sse-parser.ts";
import { upstreamConnectOptions } from "../tls/upstream-tls.ts";
import type { MessageWire, RpcMessage } from "./rpc-peer.ts";
import type { WireEvents } from "./stdio-wire.ts";

export type HttpWireEvents = WireEvents & {
  /** A request `id` could not be delivered or answered (network, HTTP status). */
  onRequestFailed: (id: number, error: Error) => void;
  /** The upstream answered 404 to our session and re-initialising on the spot failed: reconnect. */
  onSessionLost: () => void;
};

const POOL_CONNECTIONS = 32;
/** Failures that mean a request never reached the upstream (safe to send elsewhere). */
const UNREACHABLE = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "UND_ERR_CONNECT_TIMEOUT"]);

export function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && UNREACHABLE.has(code);
}
const STREAM_RETRY_MS = 2000;

/**
 * Streamable HTTP client side on a keep-alive undici Pool: each message is a POST,
 * the answer (JSON or an SSE stream of messages) is fed back as messages. Carries
 * the upstream's Mcp-Session-Id and MCP-Protocol-Version once initialised, and
 * holds the optional GET stream for messages the server sends on its own.
 */
export class HttpWire implements MessageWire {
  private readonly pool: Pool;
  private readonly path: string;
  private readonly baseHeaders: Record<string, string>;
  private sessionId: string | undefined;
  private protocolVersion: string | undefined;
  private closed = false;
  private streamAbort: AbortController | undefined;
  /** The first initialize sent, replayed to re-initialise after a 404 (the upstream restarted). */
  private initText: string | undefined;
  private reinit: Promise<boolean> | undefined;
  /** Requests re-sent once after a re-initialise; a second 404 fails them. */
  private readonly retried = new Set<number>();

  constructor(
    def: HttpUpstreamEntry,
    private readonly events: HttpWireEvents,
  ) {
    const url = new URL(def.url);
    // TLS toward the upstream (mTLS, CA, pins); a file that cannot be read fails every request with why.
    let connect: PoolOptions["connect"];
    try {
      connect = upstreamConnectOptions(def.tls);
    } catch (error) {
      const failure = new Error(`upstream TLS settings unusable: ${(error as Error).message}`);
      connect = (_options, callback) => callback(failure, null);
    }
    this.pool = new Pool(url.origin, { connections: POOL_CONNECTIONS, keepAliveTimeout: 30_000, connect });
    this.path = `${url.pathname}${url.search}`;
    this.baseHeaders = {
      ...def.headers,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    };
  }

  /** After initialize: the session id and version every later request carries. */
  setSession(sessionId: string | undefined, protocolVersion: string): void {
    this.sessionId = sessionId;
    this.protocolVersion = protocolVersion;
  }

  get session(): string | undefined {
    return this.sessionId;
  }

  send(text: string, id?: number, authorization?: string): void {
    if (this.closed) return;
    if (this.initText === undefined && text.includes('"method":"initialize"')) this.initText = text;
    const reinit = this.reinit;
    if (reinit) {
      // Re-initialising: this message goes out with the new session.
      void reinit.then((ok) => {
        if (ok) void this.post(text, id, authorization);
        else if (id !== undefined) this.events.onRequestFailed(id, new Error("upstream session lost"));
      });
      return;
    }
    void this.post(text, id, authorization);
  }

  /** Opens the GET stream for server-initiated messages (405 means the server has none). */
  openStream(): void {
    if (this.closed || this.streamAbort) return;
    const abort = new AbortController();
    this.streamAbort = abort;
    const session = this.sessionId;
    void (async () => {
      try {
        const { statusCode, headers, body } = await this.pool.request({
          path: this.path,
          method: "GET",
          headers: { ...this.headers(), accept: "text/event-stream" },
          signal: abort.signal,
          bodyTimeout: 0,
        });
        if (statusCode !== 200 || !String(headers["content-type"] ?? "").startsWith("text/event-stream")) {
          await body.dump();
          if (statusCode === 404 && session) {
            if (this.streamAbort === abort) this.streamAbort = undefined;
            // The upstream forgot our session (it restarted): re-initialise, which reopens the stream.
            if (!(await this.reinitialize(session))) this.events.onSessionLost();
          }
          return;
        }
        await this.readSse(body);
        if (!this.closed && this.streamAbort === abort) {
          this.streamAbort = undefined;
          setTimeout(() => this.openStream(), STREAM_RETRY_MS).unref();
        }
      } catch {
        if (!this.closed && this.streamAbort === abort) {
          this.streamAbort = undefined;
          setTimeout(() => this.openStream(), STREAM_RETRY_MS).unref();
        }
      }
    })();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.streamAbort?.abort();
    if (this.sessionId) {
      try {
        const { body } = await this.pool.request({
          path: this.path,
          method: "DELETE",
          headers: this.headers(),
          headersTimeout: 2000,
        });
        await body.dump();
      } catch {
        // best effort: the upstream expires it anyway
      }
    }
    await this.pool.close().catch(() => this.pool.destroy());
  }

  /** One re-initialise at a time; `stale` is the session that got the 404 (already replaced: nothing to do). */
  private reinitialize(stale: string): Promise<boolean> {
    if (this.closed || this.initText === undefined) return Promise.resolve(false);
    if (this.reinit) return this.reinit;
    if (this.sessionId !== stale) return Promise.resolve(this.sessionId !== undefined);
    this.reinit = this.replayInitialize().finally(() => {
      this.reinit = undefined;
    });
    return this.reinit;
  }

  private async replayInitialize(): Promise<boolean> {
    this.sessionId = undefined;
    this.streamAbort?.abort();
    this.streamAbort = undefined;
    try {
      const init = await this.pool.request({
        path: this.path,
        method: "POST",
        headers: this.baseHeaders,
        body: this.initText,
        headersTimeout: 10_000,
      });
      const session = headerValue(init.headers["mcp-session-id"]);
      await init.body.dump();
      if (init.statusCode !== 200 || !session || this.closed) return false;
      this.sessionId = session;
      const initialized = await this.pool.request({
        path: this.path,
        method: "POST",
        headers: this.headers(),
        body: '{"jsonrpc":"2.0","method":"notifications/initialized"}',
      });
      await initialized.body.dump();
      this.openStream();
      return true;
    } catch {
      return false;
    }
  }

  private headers(): Record<string, string> {
    if (!this.sessionId && !this.protocolVersion) return this.baseHeaders;
    const headers = { ...this.baseHeaders };
    if (this.sessionId) headers["mcp-session-id"] = this.sessionId;
    if (this.protocolVersion) headers["mcp-protocol-version"] = this.protocolVersion;
    return headers;
  }

  private async post(text: string, id: number | undefined, authorization?: string): Promise<void> {
    const session = this.sessionId;
    try {
      const { statusCode, headers, body } = await this.pool.request({
        path: this.path,
        method: "POST",
        headers: authorization ? { ...this.headers(), authorization } : this.headers(),
        body: text,
      });
      // The initialize answer carries the session id every later request sends.
      if (this.sessionId === undefined) this.sessionId = headerValue(headers["mcp-session-id"]);
      if (statusCode === 202 || statusCode === 204) {
        await body.dump();
        return;
      }
      if (statusCode === 404 && session) {
        await body.dump();
        // The upstream restarted and forgot our session: re-initialise and send this request
        // once more; a second 404 (or a failed re-initialise) fails it and reconnects.
        if (id !== undefined && this.retried.has(id)) {
          this.events.onSessionLost();
          throw new Error("upstream session expired");
        }
        if (!(await this.reinitialize(session))) {
          this.events.onSessionLost();
          throw new Error("upstream session expired");
        }
        if (id === undefined) return; // a notification to the old session is moot
        this.retried.add(id);
        try {
          await this.post(text, id, authorization);
        } finally {
          this.retried.delete(id);
        }
        return;
      }
      const type = String(headers["content-type"] ?? "");
      if (statusCode >= 200 && statusCode < 300 && type.startsWith("text/event-stream")) {
        await this.readSse(body, id);
        // No-op when the answer came; otherwise the call fails now instead of timing out.
        if (id !== undefined) this.events.onRequestFailed(id, new Error("upstream stream ended without an answer"));
      } else if (type.startsWith("application/json")) {
        // Error statuses with a JSON-RPC body still carry the upstream's own answer.
        this.deliverJson(await body.text(), statusCode, id);
      } else {
        await body.dump();
        if (id !== undefined) this.events.onRequestFailed(id, new Error(`upstream answered HTTP ${statusCode}`));
      }
    } catch (error) {
      if (id !== undefined) this.events.onRequestFailed(id, error as Error);
      // Nobody listens there any more: the connection is down (and reconnects with backoff).
      if (isUnreachable(error) && !this.closed)
        this.events.onClose(`upstream unreachable: ${(error as Error).message}`);
    }
  }

  private deliverJson(text: string, status: number, id: number | undefined): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      if (id !== undefined) this.events.onRequestFailed(id, new Error(`upstream answered HTTP ${status}, not JSON`));
      return;
    }
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    let answered = false;
    for (const message of messages) {
      if (typeof message !== "object" || message === null) continue;
      const m = message as RpcMessage;
      if (m.id === id) answered = true;
      this.events.onMessage(m);
    }
    if (!answered && id !== undefined && status >= 400) {
      this.events.onRequestFailed(id, new Error(`upstream answered HTTP ${status}`));
    }
  }

  private async readSse(
    body: AsyncIterable<Buffer | string> & { setEncoding(e: string): unknown },
    relatedId?: number,
  ): Promise<void> {
    body.setEncoding("utf8");
    const parser = new SseParser((event) => {
      if (event.event !== "message" || !event.data) return;
      try {
        const message = JSON.parse(event.data) as unknown;
        if (typeof message === "object" && message !== null) this.events.onMessage(message as RpcMessage, relatedId);
      } catch {
        // not JSON: ignore the event
      }
    });
    for await (const chunk of body) parser.push(String(chunk));
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

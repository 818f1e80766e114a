import type { ServerResponse } from "node:http";
import { startEventStream } from "./respond.ts";

const LIST_CHANGED = [
  "notifications/tools/list_changed",
  "notifications/prompts/list_changed",
  "notifications/resources/list_changed",
] as const;
const KEEP_ALIVE_MS = 25_000;
/** Events kept per legacy session for `Last-Event-ID` replay. */
export const REPLAY_EVENTS_PER_SESSION = 100;
/** How long a legacy session's stream state outlives its connection (to resume it). */
export const DETACHED_STREAM_TTL_MS = 5 * 60_000;
/** Detached session streams kept in total; past it the longest-detached go first. */
const MAX_DETACHED_STREAMS = 10_000;
/** Stream event ids are `g<n>`: told apart from the plain numbers of POST answer streams. */
const EVENT_ID_PREFIX = "g";

type Listener = {
  res: ServerResponse | undefined;
  subscriptionId: string | number | undefined;
  eventId: number;
  /** Legacy GET streams only: the session, and its recent events for `Last-Event-ID`. */
  sessionId: string | undefined;
  replay: { id: number; frame: string }[] | undefined;
  detachedAt: number;
};

/**
 * Server-to-client streams per tenant: the legacy GET /mcp stream and the
 * 2026-07-28 `subscriptions/listen` stream. When a tenant's aggregated lists
 * change (an upstream said list_changed, came up, went down, or a snapshot
 * changed its upstreams), every open stream of that tenant is told.
 *
 * Legacy GET streams are resumable: events carry per-session ids, the last
 * REPLAY_EVENTS_PER_SESSION are kept, and a session's stream state outlives its
 * connection for DETACHED_STREAM_TTL_MS (still collecting events), so a client that
 * reconnects with `Last-Event-ID` gets what it missed. The state lives on the
 * replica that served the stream; elsewhere a reconnect starts afresh.
 */
export class NotificationHub {
  private readonly byTenant = new Map<string, Set<Listener>>();
  /** Legacy session streams by session id (attached or detached). */
  private readonly sessions = new Map<string, { tenantId: string; listener: Listener }>();
  private readonly keepAlive: NodeJS.Timeout;

  constructor(private readonly detachedTtlMs = DETACHED_STREAM_TTL_MS) {
    this.keepAlive = setInterval(() => this.ping(), KEEP_ALIVE_MS);
    this.keepAlive.unref();
  }

  /**
   * Opens an SSE stream on `res` for the tenant; it closes when the client goes away.
   * With `sessionId` (legacy GET stream) it is resumable: `lastEventId` replays what
   * the session missed since that event.
   */
  open(
    tenantId: string,
    res: ServerResponse,
    subscriptionId?: string | number,
    sessionId?: string,
    lastEventId?: string,
  ): void {
    startEventStream(res);
    let listener: Listener | undefined;
    if (sessionId !== undefined) {
      const known = this.sessions.get(sessionId);
      if (known && known.tenantId === tenantId) {
        listener = known.listener;
        // One live stream per session: a newer connection takes over.
        if (listener.res && listener.res !== res) listener.res.end();
        listener.res = res;
      }
    }
    if (!listener) {
      listener = {
        res,
        subscriptionId,
        eventId: 0,
        sessionId,
        replay: sessionId === undefined ? undefined : [],
        detachedAt: 0,
      };
      if (sessionId !== undefined) this.sessions.set(sessionId, { tenantId, listener });
      let set = this.byTenant.get(tenantId);
      if (!set) {
        set = new Set();
        this.byTenant.set(tenantId, set);
      }
      set.add(listener);
    }
    const attached = listener;
    res.once("close", () => this.detach(tenantId, attached, res));
    if (lastEventId?.startsWith(EVENT_ID_PREFIX) && attached.replay) {
      // Only ids of this stream (a POST answer's event ids are plain numbers and are not replayed here).
      const after = Number(lastEventId.slice(EVENT_ID_PREFIX.length));
      if (Number.isInteger(after)) for (const event of attached.replay) if (event.id > after) res.write(event.frame);
    }
    if (subscriptionId !== undefined) {
      write(attached, {
        jsonrpc: "2.0",
        method: "notifications/subscriptions/acknowledged",
        params: { _meta: { "io.modelcontextprotocol/subscriptionId": subscriptionId } },
      });
    }
  }

  /**
   * A message for one legacy session's GET stream (an upstream's request relayed when
   * the call's own answer is not a stream). Kept for replay like any event; false when
   * the session has no live stream here.
   */
  sendToSession(sessionId: string, message: unknown): boolean {
    const listener = this.sessions.get(sessionId)?.listener;
    if (!listener?.res || listener.res.writableEnded || listener.res.destroyed) return false;
    write(listener, message);
    return true;
  }

  /** Ends a session's stream state at once (DELETE of the session). */
  endSession(sessionId: string): void {
    const known = this.sessions.get(sessionId);
    if (!known) return;
    this.sessions.delete(sessionId);
    this.byTenant.get(known.tenantId)?.delete(known.listener);
    known.listener.res?.end();
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
    for (const set of this.byTenant.values()) for (const listener of set) if (listener.res) n++;
    return n;
  }

  /** Legacy session streams whose connection is gone but which can still be resumed. */
  get detachedStreams(): number {
    let n = 0;
    for (const { listener } of this.sessions.values()) if (!listener.res) n++;
    return n;
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const set of this.byTenant.values()) for (const listener of set) listener.res?.end();
    this.byTenant.clear();
    this.sessions.clear();
  }

  private detach(tenantId: string, listener: Listener, res: ServerResponse): void {
    if (listener.res !== res) return; // a newer connection took over
    listener.res = undefined;
    if (listener.sessionId === undefined) {
      this.forget(tenantId, listener);
      return;
    }
    listener.detachedAt = Date.now();
    if (this.sessions.size > MAX_DETACHED_STREAMS) this.sweep();
  }

  private forget(tenantId: string, listener: Listener): void {
    const set = this.byTenant.get(tenantId);
    set?.delete(listener);
    if (set && set.size === 0 && this.byTenant.get(tenantId) === set) this.byTenant.delete(tenantId);
    if (listener.sessionId !== undefined && this.sessions.get(listener.sessionId)?.listener === listener) {
      this.sessions.delete(listener.sessionId);
    }
  }

  /** Drops detached session streams past their TTL, and the longest-detached past the cap. */
  private sweep(): void {
    const now = Date.now();
    const detached: { tenantId: string; listener: Listener }[] = [];
    for (const entry of this.sessions.values()) {
      if (entry.listener.res) continue;
      if (now - entry.listener.detachedAt > this.detachedTtlMs) this.forget(entry.tenantId, entry.listener);
      else detached.push(entry);
    }
    if (detached.length <= MAX_DETACHED_STREAMS) return;
    detached.sort((a, b) => a.listener.detachedAt - b.listener.detachedAt);
    for (const entry of detached.slice(0, detached.length - MAX_DETACHED_STREAMS)) {
      this.forget(entry.tenantId, entry.listener);
    }
  }

  private ping(): void {
    for (const set of this.byTenant.values()) for (const listener of set) listener.res?.write(": keep-alive\n\n");
    this.sweep();
  }
}

function write(listener: Listener, message: unknown): void {
  const id = ++listener.eventId;
  const frame = `id: ${EVENT_ID_PREFIX}${id}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`;
  const replay = listener.replay;
  if (replay) {
    replay.push({ id, frame });
    if (replay.length > REPLAY_EVENTS_PER_SESSION) replay.shift();
  }
  const res = listener.res;
  if (!res || res.writableEnded || res.destroyed) return;
  res.write(frame);
}

import type { Logger } from "../log/logger.ts";
import type { UpstreamEntry } from "../snapshots/schema.ts";
import type { Cancellation } from "./cancellation.ts";
import { type CircuitBreakerOptions, type CircuitState, DEFAULT_CIRCUIT_BREAKER } from "./circuit-breaker.ts";
import { HttpWire } from "./http-wire.ts";
import { type RequestOptions, type RpcMessage, RpcPeer, type RpcReply } from "./rpc-peer.ts";
import { SseWire } from "./sse-wire.ts";
import { StdioWire } from "./stdio-wire.ts";

/**
 * `idle`: a stdio process stopped after its idle timeout; its lists stay known and the next call restarts it.
 * `draining`: removed or replaced by a new configuration; its calls in flight finish, new ones are refused.
 */
export type UpstreamState = "starting" | "ready" | "down" | "idle" | "draining";

/** A tool as the upstream described it: name plus every other field kept verbatim. */
export type UpstreamTool = { name: string } & Record<string, unknown>;
/** Any listed item (tool, prompt, resource, template), every field kept verbatim. */
export type ListedItem = Record<string, unknown>;

/** What an upstream offers, as its list methods return it. */
export type UpstreamOffer = {
  tools: UpstreamTool[];
  prompts: ListedItem[];
  resources: ListedItem[];
  resourceTemplates: ListedItem[];
};

const LISTS = {
  tools: { method: "tools/list", key: "tools", capability: "tools" },
  prompts: { method: "prompts/list", key: "prompts", capability: "prompts" },
  resources: { method: "resources/list", key: "resources", capability: "resources" },
  resourceTemplates: { method: "resources/templates/list", key: "resourceTemplates", capability: "resources" },
} as const;
type ListKind = keyof typeof LISTS;
const LIST_CHANGED: Record<string, ListKind[]> = {
  "notifications/tools/list_changed": ["tools"],
  "notifications/prompts/list_changed": ["prompts"],
  "notifications/resources/list_changed": ["resources", "resourceTemplates"],
};

const CONNECT_TIMEOUT_MS = 30_000;
/** A stateful stdio upstream's per-session process stops after this long unused (or its idleTimeoutMs). */
export const SESSION_PROCESS_IDLE_MS = 5 * 60_000;
/** Per-session processes one stateful stdio upstream may run at once. */
export const MAX_SESSION_PROCESSES = 50;
const MAX_BACKOFF_MS = 30_000;
/** The era the gateway speaks to upstreams; servers of every era still accept it. */
export const UPSTREAM_PROTOCOL_VERSION = "2025-11-25";
const CLIENT_INFO = { name: "only1mcp-gateway", version: "0.1.0" };
/**
 * What the gateway offers upstreams as a client: it relays sampling, elicitation and
 * roots requests to the client whose call caused them (src/mcp/client-requests.ts).
 */
const GATEWAY_CLIENT_CAPABILITIES = { sampling: {}, elicitation: { form: {}, url: {} }, roots: {} };

/** Routes an upstream's own request to a client; `requesters` are the calls it may belong to. */
export type ServerRequestRouter = (
  requesters: readonly unknown[],
  message: { method: string; params?: unknown },
) => Promise<RpcReply>;

/**
 * One upstream MCP server for one tenant. The handshake (initialize, initialized,
 * tools/list) and every later call go through a lean JSON-RPC peer on the
 * upstream's own wire (a stdio pipe or keep-alive HTTP pool); results are passed
 * through untouched. Reconnects with backoff when the upstream goes away.
 */
export class UpstreamConnection {
  state: UpstreamState = "starting";
  offer: UpstreamOffer = emptyOffer();
  error: string | undefined;
  /** What the upstream said about itself in initialize. */
  serverCapabilities: Record<string, unknown> = {};
  private peer: RpcPeer | undefined;
  private wire: StdioWire | HttpWire | SseWire | undefined;
  private closed = false;
  private attempts = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private generation = 0;
  /** Circuit breaker state (see CircuitBreakerOptions); `consecutiveFailures` since the last ready. */
  circuit: CircuitState = "closed";
  /** Set before start() to change the reconnect policy (tests use short times). */
  breaker: CircuitBreakerOptions = DEFAULT_CIRCUIT_BREAKER;
  get consecutiveFailures(): number {
    return this.attempts;
  }

  constructor(
    readonly tenantId: string,
    readonly def: UpstreamEntry,
    readonly defHash: string,
    protected readonly log: Logger,
    protected readonly onChange: () => void,
  ) {
    this.stateful = def.transport === "stdio" && def.stateful === true;
  }

  /**
   * A stateful stdio upstream: the session's own process, started on its first call
   * and stopped when the session ends or it sits unused. The shared process (this
   * connection) keeps serving the lists and sessionless (2026-07-28) callers.
   */
  forSession(sessionId: string): UpstreamConnection {
    this.sessionChildren ??= new Map();
    const children = this.sessionChildren;
    const child = children.get(sessionId);
    if (child) return child;
    if (children.size >= MAX_SESSION_PROCESSES || this.closed || this.state === "draining") {
      const refused = new UpstreamConnection(this.tenantId, this.def, this.defHash, this.log, () => {});
      refused.refuse(
        this.closed || this.state === "draining"
          ? "removed by a configuration change"
          : `per-session process cap reached (${MAX_SESSION_PROCESSES})`,
      );
      return refused;
    }
    const created = new UpstreamConnection(
      this.tenantId,
      this.def,
      this.defHash,
      this.log.child({ session: sessionId.slice(-8) }),
      () => {},
    );
    created.serverRequests = this.serverRequests;
    // Started by its first call (the idle path), reaped when unused.
    created.state = "idle";
    created.reap = () => {
      if (children.get(sessionId) === created) children.delete(sessionId);
      void created.close();
    };
    created.armReaper(this.def.transport === "stdio" ? (this.def.idleTimeoutMs ?? SESSION_PROCESS_IDLE_MS) : 0);
    children.set(sessionId, created);
    return created;
  }

  /** The session ended (DELETE): its own process of this stateful upstream stops. */
  endSession(sessionId: string): void {
    const child = this.sessionChildren?.get(sessionId);
    if (!child) return;
    this.sessionChildren?.delete(sessionId);
    void child.close();
  }

  /** Per-session processes running now (status). */
  get sessionProcesses(): number {
    let n = 0;
    for (const child of this.sessionChildren?.values() ?? []) if (child.pid !== undefined) n++;
    return n;
  }

  private armReaper(timeoutMs: number): void {
    this.lastUsed = Date.now();
    this.idleTimer = setInterval(
      () => {
        if (this.outstanding > 0 || this.waking || Date.now() - this.lastUsed < timeoutMs) return;
        this.log.info("session process unused; stopping it", { idleMs: Date.now() - this.lastUsed });
        this.reap?.();
      },
      Math.max(250, Math.floor(timeoutMs / 4)),
    );
    this.idleTimer.unref();
  }

  /** A stdio upstream whose definition says `stateful`: one process per client session. */
  readonly stateful: boolean;
  /** The per-session processes of a stateful upstream, by session id. */
  private sessionChildren: Map<string, UpstreamConnection> | undefined;
  /** Set on a per-session child: how it is removed when idle. */
  private reap: (() => void) | undefined;

  get pid(): number | undefined {
    return this.wire instanceof StdioWire ? this.wire.pid : undefined;
  }

  /** Calls in flight on this upstream (for least-outstanding balancing and draining). */
  get outstanding(): number {
    return this.peer?.outstanding ?? 0;
  }

  start(): void {
    void this.connect();
  }

  /** Never started (a cap): reported down with the reason, no retries. */
  refuse(reason: string): void {
    this.closed = true;
    this.state = "down";
    this.error = reason;
  }

  /**
   * Forwards one request as-is (with the gateway's own id) and resolves with the
   * upstream's result or its own JSON-RPC error. Throws UpstreamDownError when not
   * connected, and the peer's errors (closed, timeout, cancelled) otherwise.
   */
  forward(method: string, params: unknown, options?: RequestOptions): Promise<RpcReply> {
    const peer = this.peer;
    if (this.idleTimer) this.lastUsed = Date.now();
    if (peer && this.state === "ready") return peer.request(method, params, options);
    if (this.state === "idle" || (this.state === "starting" && this.waking))
      return this.wakeThen(method, params, options);
    return Promise.reject(new UpstreamDownError(this.def.name, this.error));
  }

  private waking: Promise<void> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private lastUsed = 0;

  /** A call to an idle upstream starts it and then goes through. */
  private async wakeThen(method: string, params: unknown, options?: RequestOptions): Promise<RpcReply> {
    this.waking ??= new Promise<void>((resolve) => {
      this.readyWaiters.push(resolve);
      void this.connect();
    }).finally(() => {
      this.waking = undefined;
    });
    await this.waking;
    const peer = this.peer;
    if (!peer || this.state !== "ready") throw new UpstreamDownError(this.def.name, this.error);
    return peer.request(method, params, options);
  }

  private readyWaiters: Array<() => void> = [];

  private armIdleTimer(): void {
    const def = this.def;
    if (def.transport !== "stdio" || def.idleTimeoutMs === undefined || this.idleTimer || this.reap) return;
    const timeout = def.idleTimeoutMs;
    this.lastUsed = Date.now();
    this.idleTimer = setInterval(
      () => {
        if (this.state !== "ready" || this.outstanding > 0 || Date.now() - this.lastUsed < timeout) return;
        this.log.info("upstream idle; stopping its process", { idleMs: Date.now() - this.lastUsed });
        this.generation++;
        void this.teardown("idle timeout");
        this.setState("idle", undefined);
      },
      Math.max(250, Math.floor(timeout / 4)),
    );
    this.idleTimer.unref();
  }

  /** How often an idle ready upstream is pinged (DATA_PLANE_HEALTH_CHECK_MS; 0 = never). */
  static healthCheckMs = 30_000;
  private healthTimer: NodeJS.Timeout | undefined;
  private checking = false;

  private armHealthCheck(): void {
    const every = UpstreamConnection.healthCheckMs;
    if (every <= 0 || this.healthTimer) return;
    this.healthTimer = setInterval(() => void this.healthCheck(every), every);
    this.healthTimer.unref();
  }

  /**
   * A ready upstream with nothing in flight must answer `ping` (any answer, an error
   * included) within min(10 s, the interval); one that does not is hung: it is taken
   * down (a stdio process group is killed) and reconnects with backoff.
   */
  private async healthCheck(every: number): Promise<void> {
    const peer = this.peer;
    if (!peer || this.state !== "ready" || peer.outstanding > 0 || this.checking) return;
    this.checking = true;
    const generation = this.generation;
    try {
      await peer.request("ping", undefined, { timeoutMs: Math.min(10_000, Math.max(1000, every)) });
    } catch (error) {
      if (this.generation === generation && this.state === "ready" && !this.closed) {
        this.onLost(`health check failed: ${(error as Error).message}`);
      }
    } finally {
      this.checking = false;
    }
  }

  /** Convenience for tools/call, used by tests and the catalog. */
  async callTool(name: string, args: unknown, cancellation?: Cancellation): Promise<RpcReply> {
    const params: Record<string, unknown> = { name };
    if (args !== undefined) params.arguments = args;
    return this.forward("tools/call", params, cancellation ? { cancellation } : undefined);
  }

  /**
   * Hot reload removed or replaced this upstream: calls in flight finish (up to
   * `timeoutMs`, then they fail as closed), new calls are refused at once, then it closes.
   */
  async drain(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    const children = this.sessionChildren ? [...this.sessionChildren.values()] : [];
    this.sessionChildren?.clear();
    if (children.length > 0) {
      await Promise.allSettled([this.drain(timeoutMs), ...children.map((c) => c.drain(timeoutMs))]);
      return;
    }
    if (this.state !== "ready" || this.outstanding === 0) return this.close();
    this.state = "draining";
    this.error = "removed by a configuration change";
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = undefined;
    const deadline = Date.now() + timeoutMs;
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (this.outstanding > 0 && Date.now() < deadline && !this.closed) return;
        clearInterval(poll);
        resolve();
      }, 50);
      poll.unref();
    });
    this.log.info("upstream drained", { leftInFlight: this.outstanding });
    await this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    const children = this.sessionChildren ? [...this.sessionChildren.values()] : [];
    this.sessionChildren?.clear();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.idleTimer) clearInterval(this.idleTimer);
    if (this.healthTimer) clearInterval(this.healthTimer);
    for (const wake of this.readyWaiters.splice(0)) wake();
    await Promise.allSettled([this.teardown("upstream closed"), ...children.map((c) => c.close())]);
  }

  /** Synchronous last resort at process exit. */
  killNow(): void {
    if (this.wire instanceof StdioWire) this.wire.killNow();
    for (const child of this.sessionChildren?.values() ?? []) child.killNow();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const generation = ++this.generation;
    this.setState("starting", undefined);
    const current = () => !this.closed && this.generation === generation;
    const lost = (reason: string) => {
      if (current()) this.onLost(reason);
    };
    const onMessage = (message: RpcMessage, relatedId?: number) => peer.receive(message, relatedId);
    const def = this.def;
    let wire: StdioWire | HttpWire | SseWire;
    if (def.transport === "stdio") {
      wire = new StdioWire(
        def,
        {
          onMessage,
          onClose: (reason) => lost(reason),
          onError: (e) => this.log.debug("upstream error", { error: e.message }),
        },
        (line) => this.log.debug("upstream stderr", { line }),
      );
    } else if (def.transport === "sse") {
      wire = new SseWire(def, {
        onMessage,
        onClose: (reason) => lost(reason),
        onRequestFailed: (id, error) => peer.failRequest(id, error),
      });
    } else {
      wire = new HttpWire(def, {
        onMessage,
        onClose: (reason) => lost(reason),
        onRequestFailed: (id, error) => peer.failRequest(id, error),
        onSessionLost: () => lost("upstream session expired (404)"),
      });
    }
    const peer = new RpcPeer(wire, {
      onNotification: (message) => this.onNotification(message, generation),
      onRequest: (message, requesters) => this.onServerRequest(peer, message, requesters),
    });
    this.wire = wire;
    this.peer = peer;
    try {
      if (wire instanceof StdioWire || wire instanceof SseWire) await wire.start();
      const initParams = {
        protocolVersion: UPSTREAM_PROTOCOL_VERSION,
        capabilities: GATEWAY_CLIENT_CAPABILITIES,
        clientInfo: CLIENT_INFO,
      };
      const reply = await peer.request("initialize", initParams, { timeoutMs: CONNECT_TIMEOUT_MS });
      if ("error" in reply) throw new Error(`initialize refused: ${reply.error.message}`);
      const version =
        typeof reply.result.protocolVersion === "string" ? reply.result.protocolVersion : UPSTREAM_PROTOCOL_VERSION;
      this.serverCapabilities = (reply.result.capabilities ?? {}) as Record<string, unknown>;
      if (wire instanceof HttpWire) wire.setSession(wire.session, version);
      peer.notify("notifications/initialized");
      if (wire instanceof HttpWire) wire.openStream();
      const offer = emptyOffer();
      for (const kind of Object.keys(LISTS) as ListKind[]) {
        if (this.serverCapabilities[LISTS[kind].capability] === undefined && kind !== "tools") continue;
        (offer[kind] as ListedItem[]) = await this.listAll(peer, kind);
      }
      if (!current()) return;
      this.offer = offer;
      if (this.circuit !== "closed") this.log.info("upstream circuit closed", { after: this.attempts });
      this.attempts = 0;
      this.circuit = "closed";
      this.setState("ready", undefined);
      this.armIdleTimer();
      this.armHealthCheck();
      this.log.info("upstream ready", {
        tools: offer.tools.length,
        prompts: offer.prompts.length,
        resources: offer.resources.length,
        pid: this.pid,
      });
    } catch (error) {
      if (!current()) return;
      this.onLost(`connect failed: ${(error as Error).message}`);
    }
  }

  get tools(): readonly UpstreamTool[] {
    return this.offer.tools;
  }

  /** Every page of one list method; items without their identifying field are skipped. */
  private async listAll(peer: RpcPeer, kind: ListKind): Promise<ListedItem[]> {
    const { method, key } = LISTS[kind];
    const idField = kind === "resources" ? "uri" : kind === "resourceTemplates" ? "uriTemplate" : "name";
    const items: ListedItem[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const reply = await peer.request(method, cursor ? { cursor } : {}, { timeoutMs: CONNECT_TIMEOUT_MS });
      if ("error" in reply) {
        // "Method not found" is an empty list, for tools too when the server declared no tools capability.
        if (reply.error.code === -32601 && (kind !== "tools" || this.serverCapabilities.tools === undefined)) return [];
        throw new Error(`${method} refused: ${reply.error.message}`);
      }
      const list = reply.result[key];
      for (const item of Array.isArray(list) ? list : []) {
        if (typeof item === "object" && item !== null && typeof (item as ListedItem)[idField] === "string") {
          items.push(item as ListedItem);
        }
      }
      cursor = typeof reply.result.nextCursor === "string" ? reply.result.nextCursor : undefined;
      if (!cursor) break;
    }
    return items;
  }

  /** Listeners for upstream notifications the front passes on (logging, resource updates). */
  onUpstreamNotification: ((message: RpcMessage) => void) | undefined;

  private onNotification(message: RpcMessage, generation: number): void {
    const kinds = typeof message.method === "string" ? LIST_CHANGED[message.method] : undefined;
    if (!kinds) {
      this.onUpstreamNotification?.(message);
      return;
    }
    const peer = this.peer;
    if (!peer) return;
    // Re-list, then the manager rebuilds the tenant's view and tells its clients.
    void Promise.all(kinds.map((kind) => this.listAll(peer, kind))).then(
      (lists) => {
        if (this.generation !== generation || this.closed) return;
        const offer = { ...this.offer };
        kinds.forEach((kind, i) => {
          (offer[kind] as ListedItem[]) = lists[i] ?? [];
        });
        this.offer = offer;
        this.onChange();
      },
      (error: Error) => this.log.warn("re-listing failed", { error: error.message }),
    );
  }

  /** Set by the manager: where sampling, elicitation and roots requests of this upstream go. */
  serverRequests: ServerRequestRouter | undefined;

  private onServerRequest(
    peer: RpcPeer,
    message: RpcMessage & { id: string | number; method: string },
    requesters: unknown[],
  ): void {
    if (message.method === "ping") {
      peer.respond(message.id, { result: {} });
      return;
    }
    const router = this.serverRequests;
    if (!router) {
      peer.respond(message.id, { error: { code: -32601, message: `method '${message.method}' is not supported` } });
      return;
    }
    router(requesters, { method: message.method, params: message.params }).then(
      (reply) => peer.respond(message.id, reply),
      (error: Error) => peer.respond(message.id, { error: { code: -32603, message: error.message } }),
    );
  }

  private onLost(reason: string): void {
    if (this.closed) return;
    this.offer = emptyOffer();
    this.setState("down", reason);
    this.log.warn("upstream down", { reason });
    this.generation++;
    void this.teardown(reason);
    this.attempts++;
    const { threshold, baseBackoffMs, openMs } = this.breaker;
    let delay = Math.min(MAX_BACKOFF_MS, openMs, baseBackoffMs * 2 ** (this.attempts - 1));
    if (this.attempts >= threshold) {
      if (this.circuit !== "open")
        this.log.error("upstream circuit open", { failures: this.attempts, retryInMs: openMs, reason });
      this.circuit = "open";
      this.error = `circuit open after ${this.attempts} consecutive failures (next probe in ${Math.round(openMs / 1000)} s): ${reason}`;
      delay = openMs;
    }
    this.retryTimer = setTimeout(() => {
      if (this.circuit === "open") this.circuit = "half-open";
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private async teardown(reason: string): Promise<void> {
    const peer = this.peer;
    const wire = this.wire;
    this.peer = undefined;
    this.wire = undefined;
    peer?.closed(reason);
    try {
      await wire?.close();
    } catch {
      // closing anyway
    }
  }

  private setState(state: UpstreamState, error: string | undefined): void {
    this.state = state;
    this.error = error;
    if (state === "ready" || state === "down") {
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const wake of waiters) wake();
    }
    // Going idle or waking changes nothing clients see: the lists stay.
    if (state !== "idle" && !(state === "starting" && this.waking)) this.onChange();
  }
}

function emptyOffer(): UpstreamOffer {
  return { tools: [], prompts: [], resources: [], resourceTemplates: [] };
}

export class UpstreamDownError extends Error {
  constructor(
    readonly upstream: string,
    reason: string | undefined,
  ) {
    super(`upstream '${upstream}' is unavailable${reason ? `: ${reason}` : ""}`);
  }
}

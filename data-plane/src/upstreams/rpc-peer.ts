import type { Cancellation } from "./cancellation.ts";

/**
 * A lean JSON-RPC 2.0 client end over any message wire (stdio pipe, HTTP POSTs).
 * It remaps ids (the gateway's own counter, so requests of many clients never
 * collide on one upstream connection), matches responses by id, and hands every
 * result through untouched: no schema validation, no per-call objects beyond the
 * pending entry. This is the steady-state hot path of every proxied call.
 */

export type RpcErrorObject = { code: number; message: string; data?: unknown };

/** What an upstream answered: its result or its own JSON-RPC error, never re-validated. */
export type RpcReply = { result: Record<string, unknown> } | { error: RpcErrorObject };

export type RpcMessage = Record<string, unknown>;

/** Anything that can carry serialised JSON-RPC messages to one upstream and back. */
export interface MessageWire {
  /** Sends one serialised message; `id` is set for requests so a failed send can answer them. */
  send(text: string, id?: number, authorization?: string): void;
  close(): Promise<void>;
}

type Pending = {
  resolve: (reply: RpcReply) => void;
  reject: (error: Error) => void;
  deadline: number;
  onNotification: ((message: RpcMessage) => void) | undefined;
  /** Whose call this is (opaque here): where the upstream's own requests about it are routed. */
  requester: unknown;
  /** The call's cancellation and this entry's listener on it, removed once the answer is in. */
  cancellation: Cancellation | undefined;
  onCancel: ((reason: string) => void) | undefined;
};

export type RequestOptions = {
  timeoutMs?: number;
  /** Authorization header for this one request (HTTP upstreams: a per-user exchanged token). */
  authorization?: string;
  cancellation?: Cancellation;
  /** Messages the upstream sends about this request (progress) while it runs. */
  onNotification?: (message: RpcMessage) => void;
  /** Put this request's own id in `params._meta.progressToken`, so its progress finds its way back. */
  progress?: boolean;
  /**
   * Whose call this is (opaque to the peer): a request the upstream sends while this
   * call runs (sampling, elicitation, roots) is handed to `onRequest` with it.
   */
  requester?: unknown;
};

export type PeerHandlers = {
  /** A notification not tied to a pending request (list_changed, logging…). */
  onNotification?: (message: RpcMessage) => void;
  /**
   * A request from the upstream (sampling, elicitation, roots, ping), with the requesters
   * of the calls it may belong to: the one call whose answer stream carried it (HTTP), or
   * every pending call that has a requester (stdio has no way to say which).
   */
  onRequest?: (message: RpcMessage & { id: string | number; method: string }, requesters: unknown[]) => void;
};

const DEFAULT_TIMEOUT_MS = 60_000;
const SWEEP_MS = 1000;

export class UpstreamClosedError extends Error {}
export class UpstreamTimeoutError extends Error {}

export class RpcPeer {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private sweeper: NodeJS.Timeout | undefined;
  private closedReason: string | undefined;

  constructor(
    private readonly wire: MessageWire,
    private readonly handlers: PeerHandlers = {},
  ) {}

  get outstanding(): number {
    return this.pending.size;
  }

  request(method: string, params: unknown, options: RequestOptions = {}): Promise<RpcReply> {
    if (this.closedReason !== undefined) return Promise.reject(new UpstreamClosedError(this.closedReason));
    const id = this.nextId++;
    if (options.progress) params = withProgressToken(params, id);
    const text =
      params === undefined
        ? `{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)}}`
        : `{"jsonrpc":"2.0","id":${id},"method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}`;
    return new Promise<RpcReply>((resolve, reject) => {
      const entry: Pending = {
        resolve,
        reject,
        deadline: Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        onNotification: options.onNotification,
        requester: options.requester,
        cancellation: undefined,
        onCancel: undefined,
      };
      this.pending.set(id, entry);
      const cancellation = options.cancellation;
      if (cancellation) {
        if (cancellation.reason !== undefined) return this.cancel(id, cancellation.reason);
        entry.cancellation = cancellation;
        entry.onCancel = (reason) => this.cancel(id, reason);
        cancellation.onCancel(entry.onCancel);
      }
      this.ensureSweeper();
      this.wire.send(text, id, options.authorization);
    });
  }

  notify(method: string, params?: unknown): void {
    if (this.closedReason !== undefined) return;
    this.wire.send(
      params === undefined
        ? `{"jsonrpc":"2.0","method":${JSON.stringify(method)}}`
        : `{"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}`,
    );
  }

  /** Answers a request the upstream sent us (sampling, roots…). */
  respond(id: string | number, reply: RpcReply): void {
    if (this.closedReason !== undefined) return;
    this.wire.send(JSON.stringify({ jsonrpc: "2.0", id, ...reply }));
  }

  /** Every message the wire receives, parsed; `relatedId`: the request whose answer stream carried it. */
  receive(message: RpcMessage, relatedId?: number): void {
    const id = message.id;
    const method = message.method;
    if (typeof method === "string") {
      if (id === undefined || id === null) this.routeNotification(message);
      else if (typeof id === "string" || typeof id === "number") {
        this.handlers.onRequest?.(
          message as RpcMessage & { id: string | number; method: string },
          this.requestersFor(relatedId),
        );
      }
      return;
    }
    if (typeof id !== "number") return;
    const entry = this.pending.get(id);
    if (!entry) return; // late answer to a cancelled or timed-out request
    this.pending.delete(id);
    if (entry.onCancel) entry.cancellation?.off(entry.onCancel);
    const error = message.error;
    if (error !== undefined) entry.resolve({ error: error as RpcErrorObject });
    else entry.resolve({ result: (message.result ?? {}) as Record<string, unknown> });
  }

  /** The wire could not deliver request `id` (HTTP failure): fail that call alone. */
  failRequest(id: number, error: Error): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    entry.reject(error);
  }

  /** The wire is gone: every pending call fails now, and later ones at once. */
  closed(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    if (this.sweeper) clearInterval(this.sweeper);
    const error = new UpstreamClosedError(reason);
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const entry of all) entry.reject(error);
  }

  /** Rare (only when an upstream asks something): who may have caused an upstream's request. */
  private requestersFor(relatedId: number | undefined): unknown[] {
    if (relatedId !== undefined) {
      const requester = this.pending.get(relatedId)?.requester;
      if (requester !== undefined) return [requester];
    }
    const out: unknown[] = [];
    for (const entry of this.pending.values()) if (entry.requester !== undefined) out.push(entry.requester);
    return out;
  }

  private routeNotification(message: RpcMessage): void {
    // Progress about one of our requests goes to that request's listener.
    if (message.method === "notifications/progress") {
      const token = (message.params as { progressToken?: unknown } | undefined)?.progressToken;
      if (typeof token === "number") {
        const entry = this.pending.get(token);
        if (entry?.onNotification) {
          entry.onNotification(message);
          return;
        }
      }
    }
    this.handlers.onNotification?.(message);
  }

  private cancel(id: number, reason: string): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    // The upstream hears about it under the id it knows.
    this.notify("notifications/cancelled", { requestId: id, reason });
    entry.reject(new RequestCancelledError(reason));
  }

  private ensureSweeper(): void {
    if (this.sweeper) return;
    // One coarse timer for all calls instead of a timer per call.
    this.sweeper = setInterval(() => {
      if (this.pending.size === 0) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
        return;
      }
      const now = Date.now();
      for (const [id, entry] of this.pending) {
        if (entry.deadline > now) continue;
        this.pending.delete(id);
        this.notify("notifications/cancelled", { requestId: id, reason: "timed out" });
        entry.reject(new UpstreamTimeoutError("timed out"));
      }
    }, SWEEP_MS);
    this.sweeper.unref();
  }
}

export class RequestCancelledError extends Error {}

function withProgressToken(params: unknown, token: number): Record<string, unknown> {
  const base = (typeof params === "object" && params !== null ? params : {}) as Record<string, unknown>;
  const meta = (typeof base._meta === "object" && base._meta !== null ? base._meta : {}) as Record<string, unknown>;
  return { ...base, _meta: { ...meta, progressToken: token } };
}

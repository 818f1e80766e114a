import { randomBytes } from "node:crypto";
import type { Cancellation } from "../upstreams/cancellation.ts";
import type { RpcErrorObject, RpcReply } from "../upstreams/rpc-peer.ts";
import type { HandlerOutcome } from "./handlers.ts";

/**
 * Requests an upstream sends the gateway while a client's call runs — sampling
 * (`sampling/createMessage`), elicitation (`elicitation/create`), `roots/list` —
 * go to the client whose call caused them, and its answer goes back to that upstream.
 *
 * - Legacy era (sessions): the request travels on the call's own SSE answer (POST
 *   stream, or the /sse stream of the old transport) under a gateway id; the client
 *   POSTs its response, matched by (session, id).
 * - 2026-07-28 (stateless): the call answers `resultType: "input_required"` with the
 *   requests in `inputRequests` and an opaque `requestState`; the upstream call stays
 *   in flight on this replica. The client retries the same request with
 *   `inputResponses` + `requestState`; the answers go upstream and the retry waits for
 *   the call's result (or the next round of input requests).
 */

/** What the broker reads from a call's context (CallContext has these fields). */
export type RequesterContext = {
  tenantId: string;
  keyId: string;
  /** Legacy era: the session and the call's SSE answer. */
  sessionId?: string;
  /** Letters of what the legacy client declared at initialize (`s`, `e`, `r`); undefined = unknown. */
  clientCapabilities?: string;
  emit?: (message: Record<string, unknown>) => void;
  cancellation?: Cancellation;
  /** 2026-07-28: the call's multi round-trip flow. */
  flow?: InputFlow;
};

type ServerRequest = { method: string; params?: unknown };

/** Methods an upstream may ask a client, and the client capability each needs. */
const CAPABILITY_OF: Record<string, string> = {
  "sampling/createMessage": "sampling",
  "elicitation/create": "elicitation",
  "roots/list": "roots",
};
const LETTER_OF: Record<string, string> = { sampling: "s", elicitation: "e", roots: "r" };

/** A legacy initialize's capabilities as the letters a session id keeps (`s`, `e`, `r`). */
export function clientRequestCapabilities(capabilities: unknown): string {
  if (typeof capabilities !== "object" || capabilities === null) return "";
  const declared = capabilities as Record<string, unknown>;
  let letters = "";
  for (const name in LETTER_OF) if (declared[name] !== undefined) letters += LETTER_OF[name];
  return letters;
}

/** Methods whose 2026-07-28 requests may answer `input_required`. */
export const INPUT_REQUIRED_METHODS = new Set(["tools/call", "prompts/get", "resources/read"]);

const DEFAULT_ANSWER_TIMEOUT_MS = 60_000;
const NO_STREAM = {
  code: -32603,
  message: "the client has no stream to receive this request on (accept text/event-stream or open GET /mcp)",
};
const MAX_PENDING_PER_BROKER = 10_000;

function refusal(message: string, code = -32603): RpcReply {
  return { error: { code, message } };
}

export class ClientRequestBroker {
  private readonly legacy = new Map<string, (reply: RpcReply) => void>();
  private readonly flows = new Map<string, InputFlow>();
  private nextId = 1;

  constructor(private readonly answerTimeoutMs = DEFAULT_ANSWER_TIMEOUT_MS) {}

  /** The router upstream connections call (UpstreamManager.setServerRequestRouter). */
  readonly route = (requesters: readonly unknown[], message: ServerRequest): Promise<RpcReply> => {
    const capability = CAPABILITY_OF[message.method];
    if (!capability) return Promise.resolve(refusal(`method '${message.method}' is not supported`, -32601));
    const contexts = requesters as RequesterContext[];
    if (contexts.length === 0) {
      // Not caused by any client call (e.g. roots asked right after initialize): an error, not an
      // empty answer, so the upstream asks again from within a call instead of caching "no roots".
      return Promise.resolve(refusal(`no client call in flight to route '${message.method}' to`));
    }
    const first = contexts[0] as RequesterContext;
    if (!contexts.every((c) => sameClient(c, first))) {
      return Promise.resolve(
        refusal(`'${message.method}' cannot be routed: calls of several clients are in flight on this upstream`),
      );
    }
    if (first.flow) return first.flow.ask(capability, message);
    if (first.sessionId) {
      const declared = first.clientCapabilities;
      if (declared !== undefined && !declared.includes(LETTER_OF[capability] as string)) {
        return Promise.resolve(refusal(`the client did not declare the '${capability}' capability`, -32601));
      }
      // On the call's own SSE answer, else on the session's GET stream.
      const emit = first.emit ?? this.sessionStream(first.sessionId);
      if (emit) return this.askLegacy(first, emit, message);
    }
    return Promise.resolve(refusal(`the client cannot receive '${message.method}' on this call (no stream)`));
  };

  /** A response POSTed by a legacy client: true when it answered one of our requests. */
  answer(sessionId: string, body: Record<string, unknown>): boolean {
    const id = body.id;
    if (typeof id !== "string" && typeof id !== "number") return false;
    const key = `${sessionId}\u0000${String(id)}`;
    const resolve = this.legacy.get(key);
    if (!resolve) return false;
    this.legacy.delete(key);
    const error = body.error;
    if (typeof error === "object" && error !== null) resolve({ error: error as RpcErrorObject });
    else {
      const result = typeof body.result === "object" && body.result !== null ? body.result : {};
      resolve({ result: result as Record<string, unknown> });
    }
    return true;
  }

  /** Where a session's GET stream is (set by the HTTP layer: NotificationHub.sendToSession). */
  sendToSession: ((sessionId: string, message: Record<string, unknown>) => boolean) | undefined;

  private sessionStream(sessionId: string): ((message: Record<string, unknown>) => void) | undefined {
    const send = this.sendToSession;
    if (!send) return undefined;
    // No live stream: the request is refused at once instead of waiting for the timeout.
    return (message) => {
      if (!send(sessionId, message)) this.answer(sessionId, { id: message.id, error: NO_STREAM });
    };
  }

  private askLegacy(
    ctx: RequesterContext,
    emit: (message: Record<string, unknown>) => void,
    message: ServerRequest,
  ): Promise<RpcReply> {
    if (this.legacy.size >= MAX_PENDING_PER_BROKER) return Promise.resolve(refusal("too many pending client requests"));
    const id = `only1mcp-${this.nextId++}`;
    const key = `${ctx.sessionId}\u0000${id}`;
    return new Promise<RpcReply>((resolve) => {
      let removeCancel: (() => void) | undefined;
      const timer = setTimeout(() => settle(refusal("the client did not answer in time")), this.answerTimeoutMs);
      timer.unref();
      const settle = (reply: RpcReply) => {
        clearTimeout(timer);
        removeCancel?.();
        this.legacy.delete(key);
        resolve(reply);
      };
      this.legacy.set(key, settle);
      removeCancel = ctx.cancellation?.onCancel((reason) => settle(refusal(`the client's call ended: ${reason}`)));
      const out: Record<string, unknown> = { jsonrpc: "2.0", id, method: message.method };
      if (message.params !== undefined) out.params = message.params;
      emit(out);
    });
  }

  /** A new 2026-07-28 call that may need input: its flow, registered once it asks. */
  startFlow(ctx: RequesterContext, capabilities: unknown, cancellation: Cancellation, timeoutMs?: number): InputFlow {
    return new InputFlow(this, ctx.tenantId, ctx.keyId, capabilities, cancellation, timeoutMs ?? this.answerTimeoutMs);
  }

  /** A retry carrying `requestState`: the flow it resumes (the caller's own), if it is still waiting here. */
  resume(tenantId: string, keyId: string, requestState: string): InputFlow | undefined {
    const flow = this.flows.get(requestState);
    if (!flow || flow.tenantId !== tenantId || flow.keyId !== keyId) return undefined;
    return flow;
  }

  /** @internal */
  register(flow: InputFlow): void {
    this.flows.set(flow.token, flow);
  }

  /** @internal */
  unregister(flow: InputFlow, token: string | undefined): void {
    if (token !== undefined && this.flows.get(token) === flow) this.flows.delete(token);
  }

  /** Flows waiting for a client's retry and legacy requests waiting for an answer (tests, status). */
  get pending(): { flows: number; legacy: number } {
    return { flows: this.flows.size, legacy: this.legacy.size };
  }
}

function sameClient(a: RequesterContext, b: RequesterContext): boolean {
  if (a === b) return true;
  if (a.flow || b.flow) return a.flow === b.flow;
  return a.sessionId !== undefined && a.sessionId === b.sessionId;
}

type Asked = { key: string; request: ServerRequest; resolve: (reply: RpcReply) => void };

/**
 * One 2026-07-28 call that may span several HTTP requests: the upstream call runs
 * on, and each round of upstream requests becomes an `input_required` answer.
 */
export class InputFlow {
  private tokenValue: string | undefined;
  /** The opaque `requestState` (random, minted only when the flow first asks the client). */
  get token(): string {
    this.tokenValue ??= randomBytes(18).toString("base64url");
    return this.tokenValue;
  }
  private outcome: HandlerOutcome | undefined;
  private queued: Asked[] = [];
  private delivered: Asked[] = [];
  private wake: (() => void) | undefined;
  private expiry: NodeJS.Timeout | undefined;
  private nextKey = 1;
  private busy = false;

  constructor(
    private readonly broker: ClientRequestBroker,
    readonly tenantId: string,
    readonly keyId: string,
    private readonly capabilities: unknown,
    private readonly cancellation: Cancellation,
    private readonly waitMs: number,
  ) {}

  /** An upstream asks the client something: queued for the next `input_required` answer. */
  ask(capability: string, request: ServerRequest): Promise<RpcReply> {
    const caps = (typeof this.capabilities === "object" && this.capabilities !== null ? this.capabilities : {}) as
      | Record<string, unknown>
      | undefined;
    if (caps?.[capability] === undefined) {
      return Promise.resolve(refusal(`the client did not declare the '${capability}' capability`, -32601));
    }
    if (this.outcome || this.cancellation.cancelled) return Promise.resolve(refusal("the call has ended"));
    return new Promise<RpcReply>((resolve) => {
      this.queued.push({ key: `input-${this.nextKey++}`, request, resolve });
      this.wake?.();
    });
  }

  /** The first leg: runs the call and answers with its result or the first round of input requests. */
  async start(call: Promise<HandlerOutcome>): Promise<HandlerOutcome> {
    call.then(
      (outcome) => this.finish(outcome),
      (error: unknown) =>
        this.finish({
          ok: false,
          error: { code: "INTERNAL", message: error instanceof Error ? error.message : String(error) },
        }),
    );
    return this.next();
  }

  /** A retry: the client's answers go upstream, then the next result or round. */
  async resume(inputResponses: unknown, leg: Cancellation | undefined): Promise<HandlerOutcome> {
    if (this.busy) {
      return { ok: false, error: { code: "INVALID_PARAMS", message: "this requestState is already being resumed" } };
    }
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = undefined;
    const responses = (typeof inputResponses === "object" && inputResponses !== null ? inputResponses : {}) as Record<
      string,
      unknown
    >;
    const asked = this.delivered;
    this.delivered = [];
    for (const item of asked) {
      const response = responses[item.key];
      if (typeof response === "object" && response !== null)
        item.resolve({ result: response as Record<string, unknown> });
      else item.resolve(refusal(`the client sent no response for '${item.request.method}'`));
    }
    const removeLeg = leg?.onCancel((reason) => this.cancellation.cancel(reason));
    try {
      return await this.next();
    } finally {
      removeLeg?.();
    }
  }

  private finish(outcome: HandlerOutcome): void {
    this.outcome = outcome;
    for (const item of [...this.queued, ...this.delivered]) item.resolve(refusal("the call has ended"));
    this.queued = [];
    this.delivered = [];
    this.wake?.();
  }

  private async next(): Promise<HandlerOutcome> {
    this.busy = true;
    try {
      for (;;) {
        if (this.outcome) {
          this.close();
          return this.outcome;
        }
        if (this.queued.length > 0) {
          // Let requests the upstream sends together travel in one round.
          await new Promise((resolve) => setImmediate(resolve));
          if (this.outcome) continue;
          return this.inputRequired();
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
      }
    } finally {
      this.busy = false;
    }
  }

  private inputRequired(): HandlerOutcome {
    const inputRequests: Record<string, unknown> = {};
    for (const item of this.queued) {
      inputRequests[item.key] =
        item.request.params === undefined
          ? { method: item.request.method }
          : { method: item.request.method, params: item.request.params };
    }
    this.delivered = this.queued;
    this.queued = [];
    this.broker.register(this);
    // A client that never comes back: the upstream call is cancelled.
    this.expiry = setTimeout(() => {
      this.cancellation.cancel("the client did not answer the input request in time");
      this.close();
    }, this.waitMs);
    this.expiry.unref();
    return { ok: true, result: { resultType: "input_required", inputRequests, requestState: this.token } };
  }

  private close(): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = undefined;
    this.broker.unregister(this, this.tokenValue);
  }
}

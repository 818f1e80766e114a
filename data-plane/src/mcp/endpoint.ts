import type { AuditSink } from "../audit/audit-shipper.ts";
import type { TokenExchanger } from "../auth/token-exchange.ts";
import type { ToolResultCache } from "../cache/cached-call.ts";
import { type Failure, httpStatusOf, rpcError } from "../errors.ts";
import type { CallerAccess } from "../policy/caller-access.ts";
import { Cancellation } from "../upstreams/cancellation.ts";
import type { RpcMessage } from "../upstreams/rpc-peer.ts";
import { ClientRequestBroker, clientRequestCapabilities, INPUT_REQUIRED_METHODS } from "./client-requests.ts";
import { CLIENT_CAPABILITIES_META_KEY, detectEra, type McpHeaders } from "./era.ts";
import {
  type CallContext,
  callTool,
  complete,
  discoverResult,
  getPrompt,
  type HandlerOutcome,
  initializeResult,
  listPage,
  resourceCall,
  setLogLevel,
  type ToolCatalog,
} from "./handlers.ts";
import { classifyMessage, type OutgoingResponse, type RequestId } from "./json-rpc.ts";
import type { Session, SessionStore } from "./sessions.ts";

/** What the HTTP adapter writes: a status, an optional JSON body, an optional new session id. */
export type McpReply = { status: number; body?: unknown; sessionId?: string };

export type Caller = {
  tenantId: string;
  keyId: string;
  /** The caller's access token, kept only to exchange it (RFC 8693); never forwarded. */
  subjectToken?: string;
  tokenExchange?: TokenExchanger;
  access?: CallerAccess;
  audit?: AuditSink;
  clientAddress?: string;
  cache?: ToolResultCache;
};

/** Per-request extras from the transport: cancellation on disconnect, a sink for progress. */
export type CallOptions = {
  cancellation?: Cancellation;
  emit?: (message: RpcMessage) => void;
  /** The upstream call timeout in force (security.limits.upstream_timeout_ms); the peer's default without it. */
  timeoutMs?: number;
};

/**
 * The MCP endpoint, free of node:http. Pipeline per message: classify →
 * era (2026-07-28 stateless, or initialize + session) → session → dispatch by
 * method → (per-item authorisation hook, in the handlers) → upstream → reply.
 */
export class McpEndpoint {
  /** Legacy-era requests in flight, so a client's notifications/cancelled reaches the right upstream call. */
  private readonly inflight = new Map<string, Cancellation>();

  constructor(
    private readonly catalog: ToolCatalog,
    private readonly sessions: SessionStore,
    /** Routes upstreams' sampling/elicitation/roots requests to the calling client (wire its `route` to the upstreams). */
    readonly clientRequests: ClientRequestBroker = new ClientRequestBroker(),
  ) {}

  async post(caller: Caller, headers: McpHeaders, body: unknown, options: CallOptions = {}): Promise<McpReply> {
    if (Array.isArray(body)) return this.batch(caller, headers.sessionId, body, options);
    const message = classifyMessage(body);
    if (message.kind === "invalid") return failureReply(message.id, message.error);
    if (message.kind === "response") {
      const refused = this.legacyOnly(caller, headers.sessionId);
      if (refused) return refused;
      // A legacy client's answer to an upstream's sampling/elicitation/roots request.
      if (headers.sessionId) this.clientRequests.answer(headers.sessionId, body as Record<string, unknown>);
      return { status: 202 };
    }
    const era = detectEra(headers, message);
    const id = message.kind === "request" ? message.id : null;
    if (era.era === "rejected") return failureReply(id, era.failure, era.data);
    if (era.era === "modern") {
      if (message.kind !== "request") return { status: 202 };
      const ctx = callContext(caller, options, options.cancellation, era.version, true);
      if (!INPUT_REQUIRED_METHODS.has(message.method)) {
        return outcomeReply(message.id, asModernResult(await this.dispatch(message.method, message.params, ctx)));
      }
      return outcomeReply(message.id, asModernResult(await this.multiRoundTrip(message.method, message.params, ctx)));
    }
    if (message.kind === "request" && message.method === "initialize" && headers.sseTransport) {
      const sessionFailure = this.checkSession(caller, headers.sessionId);
      if (sessionFailure) return failureReply(message.id, sessionFailure);
      return outcomeReply(message.id, initializeResult(message.params));
    }
    if (message.kind === "request" && message.method === "initialize") {
      const init = initializeResult(message.params);
      if (!("version" in init)) return outcomeReply(message.id, init);
      const declared = clientRequestCapabilities(message.params?.capabilities);
      const session = this.sessions.create(caller.tenantId, caller.keyId, init.version, declared);
      return { status: 200, body: respond(message.id, init), sessionId: session.id };
    }
    const session = this.findSession(caller, headers.sessionId);
    if ("code" in session) return failureReply(id, session);
    if (message.kind === "notification") {
      if (message.method === "notifications/cancelled") this.cancelInflight(headers.sessionId, message.params);
      return { status: 202 };
    }
    const key = `${headers.sessionId}\u0000${String(message.id)}`;
    const cancellation = options.cancellation ?? new Cancellation();
    this.inflight.set(key, cancellation);
    try {
      // Argument errors are reported as the version this session negotiated says.
      const ctx = callContext(caller, options, cancellation, session.protocolVersion, false, headers.sessionId);
      ctx.clientCapabilities = session.clientCapabilities;
      const outcome = await this.dispatch(message.method, message.params, ctx);
      return outcomeReply(message.id, outcome);
    } finally {
      this.inflight.delete(key);
    }
  }

  /**
   * A 2026-07-28 tools/call, prompts/get or resources/read: a retry with `requestState`
   * resumes its flow; a new one runs in a flow, so upstream requests answer `input_required`.
   */
  private async multiRoundTrip(
    method: string,
    params: Record<string, unknown> | undefined,
    ctx: CallContext,
  ): Promise<HandlerOutcome> {
    const state = params?.requestState;
    if (typeof state === "string") {
      const flow = this.clientRequests.resume(ctx.tenantId, ctx.keyId, state);
      if (!flow) {
        return {
          ok: false,
          error: { code: "INVALID_PARAMS", message: "requestState is unknown or expired; send the request again" },
        };
      }
      return flow.resume(params?.inputResponses, ctx.cancellation);
    }
    const meta = params?._meta as Record<string, unknown> | undefined;
    const cancellation = ctx.cancellation ?? new Cancellation();
    const flow = this.clientRequests.startFlow(ctx, meta?.[CLIENT_CAPABILITIES_META_KEY], cancellation, ctx.timeoutMs);
    ctx.cancellation = cancellation;
    ctx.flow = flow;
    return flow.start(Promise.resolve(this.dispatch(method, params, ctx)));
  }

  /** GET /sse: the old transport makes its session before any message. */
  openSession(caller: Caller): string {
    return this.sessions.create(caller.tenantId, caller.keyId, "2024-11-05").id;
  }

  /** DELETE /mcp: ends the caller's own session; someone else's is "not found". */
  delete(caller: Caller, sessionId: string | undefined): McpReply {
    const failure = this.checkSession(caller, sessionId);
    if (failure) return failureReply(null, failure);
    if (sessionId) {
      this.sessions.delete(sessionId);
      this.catalog.endSession?.(caller.tenantId, sessionId);
    }
    return { status: 200 };
  }

  /** The old transport's /sse stream closed: its session's per-session upstream processes stop. */
  sessionClosed(tenantId: string, sessionId: string): void {
    this.catalog.endSession?.(tenantId, sessionId);
  }

  /** GET /mcp and the GET stream: the session must be the caller's own. */
  checkSession(caller: Caller, sessionId: string | undefined): Failure | undefined {
    const found = this.findSession(caller, sessionId);
    return "code" in found ? found : undefined;
  }

  /** The caller's own session (it carries the negotiated protocol version), or why there is none. */
  private findSession(caller: Caller, sessionId: string | undefined): Failure | Session {
    if (!sessionId)
      return { code: "SESSION_REQUIRED", message: "Mcp-Session-Id header is required; call initialize first" };
    const found = this.sessions.find(sessionId, caller.tenantId, caller.keyId);
    if (!found.ok) return { code: "SESSION_NOT_FOUND", message: "session not found; initialize a new one" };
    return found.session;
  }

  private legacyOnly(caller: Caller, sessionId: string | undefined): McpReply | undefined {
    if (!sessionId) return undefined;
    const failure = this.checkSession(caller, sessionId);
    return failure ? failureReply(null, failure) : undefined;
  }

  private cancelInflight(sessionId: string | undefined, params: Record<string, unknown> | undefined): void {
    const requestId = params?.requestId;
    if (typeof requestId !== "string" && typeof requestId !== "number") return;
    const reason = typeof params?.reason === "string" ? params.reason : "cancelled by the client";
    this.inflight.get(`${sessionId}\u0000${String(requestId)}`)?.cancel(reason);
  }

  private async batch(
    caller: Caller,
    sessionId: string | undefined,
    items: unknown[],
    options: CallOptions,
  ): Promise<McpReply> {
    if (items.length === 0) return failureReply(null, { code: "INVALID_REQUEST", message: "empty batch" });
    const session = this.findSession(caller, sessionId);
    if ("code" in session) return failureReply(null, session);
    const ctx = callContext(caller, { timeoutMs: options.timeoutMs }, options.cancellation, session.protocolVersion);
    const replies = await Promise.all(
      items.map(async (item): Promise<OutgoingResponse | undefined> => {
        const message = classifyMessage(item);
        if (message.kind === "invalid") return errorResponse(message.id, message.error);
        if (message.kind !== "request") return undefined;
        if (message.method === "initialize") {
          return errorResponse(message.id, { code: "INVALID_REQUEST", message: "initialize cannot be batched" });
        }
        const outcome = await this.dispatch(message.method, message.params, ctx);
        return toResponse(message.id, outcome);
      }),
    );
    const responses = replies.filter((r): r is OutgoingResponse => r !== undefined);
    return responses.length === 0 ? { status: 202 } : { status: 200, body: responses };
  }

  private dispatch(
    method: string,
    params: Record<string, unknown> | undefined,
    ctx: CallContext,
  ): HandlerOutcome | Promise<HandlerOutcome> {
    switch (method) {
      case "tools/call":
        return callTool(this.catalog, ctx, params);
      case "tools/list":
        return listPage(this.catalog, ctx, "tools", params);
      case "prompts/list":
        return listPage(this.catalog, ctx, "prompts", params);
      case "prompts/get":
        return getPrompt(this.catalog, ctx, params);
      case "resources/list":
        return listPage(this.catalog, ctx, "resources", params);
      case "resources/templates/list":
        return listPage(this.catalog, ctx, "resourceTemplates", params);
      case "resources/read":
      case "resources/subscribe":
      case "resources/unsubscribe":
        return resourceCall(this.catalog, ctx, method, params);
      case "completion/complete":
        return complete(this.catalog, ctx, params);
      case "logging/setLevel":
        return setLogLevel(this.catalog, ctx, params);
      case "server/discover":
        return discoverResult();
      case "ping":
        return { ok: true, result: {} };
      default:
        return { ok: false, error: { code: "METHOD_NOT_FOUND", message: `method '${method}' is not supported` } };
    }
  }
}

/**
 * Every call's context in one fixed shape: spreading the caller and the options
 * into it made a dictionary-mode object (slow to build, slow to read) per request.
 */
function callContext(
  caller: Caller,
  options: CallOptions,
  cancellation: Cancellation | undefined,
  protocolVersion: string,
  modern = false,
  sessionId?: string,
): CallContext {
  return {
    tenantId: caller.tenantId,
    keyId: caller.keyId,
    access: caller.access,
    audit: caller.audit,
    clientAddress: caller.clientAddress,
    cache: caller.cache,
    subjectToken: caller.subjectToken,
    tokenExchange: caller.tokenExchange,
    cancellation,
    emit: options.emit,
    timeoutMs: options.timeoutMs,
    modern,
    protocolVersion,
    sessionId,
    clientCapabilities: undefined,
    flow: undefined,
  };
}

/**
 * Bridging eras: a 2026-07-28 result must say `resultType`; results of upstreams
 * that speak an earlier era (where absent means complete) get it added.
 */
function asModernResult(outcome: HandlerOutcome): HandlerOutcome {
  if (!outcome.ok) return outcome;
  const result = outcome.result;
  if (typeof result !== "object" || result === null || "resultType" in result) return outcome;
  return { ok: true, result: { ...result, resultType: "complete" } };
}

function respond(id: RequestId, outcome: { result: unknown }): OutgoingResponse {
  return { jsonrpc: "2.0", id, result: outcome.result };
}

function errorResponse(id: RequestId | null, failure: Failure, data?: Record<string, unknown>): OutgoingResponse {
  const error = rpcError(failure);
  return { jsonrpc: "2.0", id, error: data ? { ...error, data: { ...error.data, ...data } } : error };
}

function toResponse(id: RequestId, outcome: HandlerOutcome): OutgoingResponse {
  if (outcome.ok) return respond(id, outcome);
  if ("upstreamError" in outcome) return { jsonrpc: "2.0", id, error: outcome.upstreamError };
  return errorResponse(id, outcome.error);
}

function outcomeReply(id: RequestId, outcome: HandlerOutcome): McpReply {
  if (!outcome.ok && "error" in outcome) return failureReply(id, outcome.error);
  return { status: 200, body: toResponse(id, outcome) };
}

/** A JSON-RPC error body with the HTTP status this failure maps to. */
export function failureReply(id: RequestId | null, failure: Failure, data?: Record<string, unknown>): McpReply {
  return { status: httpStatusOf(failure.code), body: errorResponse(id, failure, data) };
}

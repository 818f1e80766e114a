import { type Failure, httpStatusOf, rpcError } from "../errors.ts";
import type { Cancellation } from "../upstreams/cancellation.ts";
import {
  type CallContext,
  callTool,
  type HandlerOutcome,
  initializeResult,
  listTools,
  type ToolCatalog,
} from "./handlers.ts";
import { classifyMessage, type OutgoingResponse, type RequestId } from "./json-rpc.ts";
import type { SessionStore } from "./sessions.ts";

/** What the HTTP adapter writes: a status, an optional JSON body, an optional new session id. */
export type McpReply = { status: number; body?: unknown; sessionId?: string };

export type Caller = { tenantId: string; keyId: string };

/**
 * The MCP Streamable HTTP endpoint (initialize + session era), free of node:http:
 * takes an authenticated caller, the Mcp-Session-Id header and the parsed body.
 */
export class McpEndpoint {
  constructor(
    private readonly catalog: ToolCatalog,
    private readonly sessions: SessionStore,
  ) {}

  async post(
    caller: Caller,
    sessionId: string | undefined,
    body: unknown,
    cancellation?: Cancellation,
  ): Promise<McpReply> {
    if (Array.isArray(body)) return this.batch(caller, sessionId, body, cancellation);
    const message = classifyMessage(body);
    if (message.kind === "invalid") return failureReply(message.id, message.error);
    if (message.kind === "request" && message.method === "initialize") {
      const init = initializeResult(message.params);
      if (!("version" in init)) return outcomeReply(message.id, init);
      const session = this.sessions.create(caller.tenantId, caller.keyId, init.version);
      return { status: 200, body: respond(message.id, init), sessionId: session.id };
    }
    const sessionFailure = this.checkSession(caller, sessionId);
    if (sessionFailure) return failureReply(message.kind === "request" ? message.id : null, sessionFailure);
    if (message.kind !== "request") return { status: 202 };
    const outcome = await this.dispatch(message.method, message.params, { ...caller, cancellation });
    return outcomeReply(message.id, outcome);
  }

  /** DELETE /mcp: ends the caller's own session; someone else's is "not found". */
  delete(caller: Caller, sessionId: string | undefined): McpReply {
    const failure = this.checkSession(caller, sessionId);
    if (failure) return failureReply(null, failure);
    if (sessionId) this.sessions.delete(sessionId);
    return { status: 200 };
  }

  private async batch(
    caller: Caller,
    sessionId: string | undefined,
    items: unknown[],
    cancellation?: Cancellation,
  ): Promise<McpReply> {
    if (items.length === 0) return failureReply(null, { code: "INVALID_REQUEST", message: "empty batch" });
    const sessionFailure = this.checkSession(caller, sessionId);
    if (sessionFailure) return failureReply(null, sessionFailure);
    const replies = await Promise.all(
      items.map(async (item): Promise<OutgoingResponse | undefined> => {
        const message = classifyMessage(item);
        if (message.kind === "invalid") return errorResponse(message.id, message.error);
        if (message.kind !== "request") return undefined;
        if (message.method === "initialize") {
          return errorResponse(message.id, { code: "INVALID_REQUEST", message: "initialize cannot be batched" });
        }
        const outcome = await this.dispatch(message.method, message.params, { ...caller, cancellation });
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
        return listTools(this.catalog, ctx);
      case "ping":
        return { ok: true, result: {} };
      default:
        return { ok: false, error: { code: "METHOD_NOT_FOUND", message: `method '${method}' is not supported` } };
    }
  }

  private checkSession(caller: Caller, sessionId: string | undefined): Failure | undefined {
    if (!sessionId)
      return { code: "SESSION_REQUIRED", message: "Mcp-Session-Id header is required; call initialize first" };
    if (!this.sessions.find(sessionId, caller.tenantId, caller.keyId).ok) {
      return { code: "SESSION_NOT_FOUND", message: "session not found; initialize a new one" };
    }
    return undefined;
  }
}

function respond(id: RequestId, outcome: { result: unknown }): OutgoingResponse {
  return { jsonrpc: "2.0", id, result: outcome.result };
}

function errorResponse(id: RequestId | null, failure: Failure): OutgoingResponse {
  return { jsonrpc: "2.0", id, error: rpcError(failure) };
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
export function failureReply(id: RequestId | null, failure: Failure): McpReply {
  return { status: httpStatusOf(failure.code), body: errorResponse(id, failure) };
}

import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuditSink } from "../audit/audit-shipper.ts";
import { auditAuthentication } from "../audit/record-decisions.ts";
import { type AnonymousAccess, anonymousKeyId } from "../auth/anonymous-access.ts";
import type { TokenExchanger } from "../auth/token-exchange.ts";
import type { ToolResultCache } from "../cache/cached-call.ts";
import type { Failure } from "../errors.ts";
import type { ApiKeyVerifier, KeyVerification } from "../keys/verifier.ts";
import type { RequestGuard } from "../limits/request-guard.ts";
import type { Logger } from "../log/logger.ts";
import { type Caller, failureReply, type McpEndpoint, type McpReply } from "../mcp/endpoint.ts";
import { detectEra, type McpHeaders } from "../mcp/era.ts";
import { classifyMessage, type RequestId } from "../mcp/json-rpc.ts";
import { isSupportedVersion } from "../mcp/protocol.ts";
import type { PolicyEngine } from "../policy/compile-policies.ts";
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from "../security/security-schema.ts";
import { Cancellation } from "../upstreams/cancellation.ts";
import type { NotificationHub } from "./notification-hub.ts";
import { gateAdmission, gateCaller, gateJsonBody, REFUSED } from "./request-gate.ts";
import { acceptsMcpResponse, header, mediaType } from "./request-info.ts";
import { sendEmpty, sendJson } from "./respond.ts";
import { acceptsEventStream, LazySseResponse } from "./sse-response.ts";

export const MCP_BODY_LIMIT = 4 * 1024 * 1024;

export type McpRouteDeps = {
  endpoint: McpEndpoint;
  hub: NotificationHub;
  verifier: ApiKeyVerifier;
  log: Logger;
  /** Cache for tool results the policy marks cacheable (src/cache). */
  cache?: ToolResultCache;
  /** Scopes named in the 401 challenge (the JWT settings' required scopes). */
  requiredScopes?: () => readonly string[];
  /** Audit sink for authentication and authorization decisions (src/audit). */
  audit?: AuditSink;
  /** Rate and concurrency limits (src/limits); absent = none. */
  guard?: RequestGuard;
  /** Body size, JSON depth and upstream timeout in force (the snapshot's security.limits). */
  requestLimits?: () => RequestLimits;
  /** The policies in force (src/policy); absent = no policy enforcement. */
  policies?: () => PolicyEngine;
  /** RFC 8693 exchanges for upstreams with `tokenExchange` (callers authenticated by an access token). */
  tokenExchange?: TokenExchanger;
  /** Anonymous access in force (`security.auth.required: false`); absent/undefined = a credential is required. */
  anonymous?: () => AnonymousAccess | undefined;
  /** `<origin>/.well-known/oauth-protected-resource` for the WWW-Authenticate challenge. */
  resourceMetadataUrl: (req: IncomingMessage) => string;
};

/** POST|GET|DELETE /mcp: origin, auth, media types, body, then the endpoint. */
export async function handleMcp(req: IncomingMessage, res: ServerResponse, deps: McpRouteDeps): Promise<void> {
  const method = req.method ?? "";
  if (method !== "POST" && method !== "DELETE" && method !== "GET") {
    return writeReply(
      res,
      failureReply(null, { code: "METHOD_NOT_ALLOWED", message: `${method} /mcp is not supported` }),
      { Allow: "GET, POST, DELETE" },
    );
  }
  // The gates answer synchronously in the steady state; awaiting only a real Promise keeps
  // the request off extra microtask turns (and their allocations) on the hot path.
  let caller = gateCaller(req, res, deps);
  if (caller instanceof Promise) caller = await caller;
  if (caller === REFUSED) return;
  let admission = deps.guard ? gateAdmission(res, deps.guard, caller, method) : undefined;
  if (admission instanceof Promise) admission = await admission;
  if (admission === REFUSED) return;
  try {
    await handleAuthenticated(req, res, deps, caller);
  } finally {
    admission?.release();
  }
}

async function handleAuthenticated(req: IncomingMessage, res: ServerResponse, deps: McpRouteDeps, caller: Caller) {
  const method = req.method ?? "";
  const limits = deps.requestLimits?.() ?? DEFAULT_REQUEST_LIMITS;
  const protocolVersion = header(req, "mcp-protocol-version");
  if (protocolVersion !== undefined && !isSupportedVersion(protocolVersion)) {
    return writeReply(
      res,
      failureReply(null, {
        code: "UNSUPPORTED_PROTOCOL_VERSION",
        message: `MCP-Protocol-Version ${protocolVersion} is not supported`,
      }),
    );
  }
  const sessionId = header(req, "mcp-session-id");
  if (method === "DELETE") {
    const reply = deps.endpoint.delete(caller, sessionId);
    if (reply.status === 200 && sessionId) deps.hub.endSession(sessionId);
    return writeReply(res, reply);
  }
  if (method === "GET") {
    // The legacy server-to-client stream: list_changed of the tenant's upstreams.
    const failure = deps.endpoint.checkSession(caller, sessionId);
    if (failure) return writeReply(res, failureReply(null, failure));
    if (!acceptsEventStream(header(req, "accept"))) {
      return writeReply(
        res,
        failureReply(null, { code: "NOT_ACCEPTABLE", message: "GET /mcp needs Accept: text/event-stream" }),
      );
    }
    // Resumable: a reconnect with Last-Event-ID gets the events this session missed.
    return deps.hub.open(caller.tenantId, res, undefined, sessionId, header(req, "last-event-id"));
  }

  if (mediaType(header(req, "content-type")) !== "application/json") {
    return writeReply(
      res,
      failureReply(null, { code: "UNSUPPORTED_MEDIA_TYPE", message: "Content-Type must be application/json" }),
    );
  }
  if (!acceptsMcpResponse(header(req, "accept"))) {
    return writeReply(
      res,
      failureReply(null, {
        code: "NOT_ACCEPTABLE",
        message: "Accept must allow application/json or text/event-stream",
      }),
    );
  }
  const body = await gateJsonBody(req, res, limits);
  if (body === REFUSED) return;
  const headers: McpHeaders = {
    sessionId,
    protocolVersion,
    method: header(req, "mcp-method"),
    name: header(req, "mcp-name"),
  };
  const listen = listenRequest(headers, body);
  if (listen) {
    if ("failure" in listen) return writeReply(res, listen.failure);
    return deps.hub.open(caller.tenantId, res, listen.id);
  }
  // A client that goes away cancels its upstream call.
  const cancellation = new Cancellation();
  const onClose = () => {
    if (!res.writableFinished) cancellation.cancel("client disconnected");
  };
  res.on("close", onClose); // removed below; `once` would add a wrapper per request
  // The upstream timeout (security.limits): a call still running after it is cancelled, upstream included.
  const timer = upstreamDeadline(cancellation, limits.upstream_timeout_ms);
  // Progress turns the answer into an SSE stream, lazily: a call that sends none is plain JSON.
  const sse = acceptsEventStream(header(req, "accept")) ? new LazySseResponse(res) : undefined;
  let reply: McpReply;
  try {
    reply = await deps.endpoint.post(caller, headers, body, {
      cancellation,
      emit: sse ? (message) => sse.send(message) : undefined,
      timeoutMs: limits.upstream_timeout_ms,
    });
  } finally {
    clearTimeout(timer);
  }
  res.off("close", onClose);
  if (sse?.started) sse.finish(reply.body);
  else writeReply(res, reply);
}

/** 401 with the RFC 9728 challenge (403 insufficient_scope), or 429 with Retry-After for a failed-attempt flood. */
export function refuseAuthentication(
  req: IncomingMessage,
  res: ServerResponse,
  deps: McpRouteDeps,
  refused: Extract<AuthResult, { ok: false }>,
): void {
  if (refused.failure.code === "RATE_LIMITED") {
    writeReply(res, failureReply(null, refused.failure), { "Retry-After": String(refused.retryAfterSeconds ?? 1) });
    return;
  }
  const scopes = deps.requiredScopes?.() ?? [];
  const scope = scopes.length > 0 ? `, scope="${scopes.join(" ")}"` : "";
  const error = refused.failure.code === "INSUFFICIENT_SCOPE" ? 'error="insufficient_scope", ' : "";
  writeReply(res, failureReply(null, refused.failure), {
    "WWW-Authenticate": `Bearer ${error}resource_metadata="${deps.resourceMetadataUrl(req)}"${scope}`,
  });
}

/** Cancels the call once the upstream timeout passes; clear the returned timer when it settles. */
export function upstreamDeadline(cancellation: Cancellation, timeoutMs: number): NodeJS.Timeout {
  const timer = setTimeout(() => cancellation.cancel(`upstream timed out after ${timeoutMs} ms`), timeoutMs);
  timer.unref();
  return timer;
}

/** A 2026-07-28 `subscriptions/listen` request opens a notification stream instead of a call. */
function listenRequest(headers: McpHeaders, body: unknown): { id: RequestId } | { failure: McpReply } | undefined {
  if (typeof body !== "object" || body === null || (body as { method?: unknown }).method !== "subscriptions/listen") {
    return undefined;
  }
  const message = classifyMessage(body);
  if (message.kind !== "request") return undefined;
  const era = detectEra(headers, message);
  if (era.era === "rejected") return { failure: failureReply(message.id, era.failure, era.data) };
  if (era.era !== "modern") return undefined;
  return { id: message.id };
}

export type AuthResult = { ok: true; caller: Caller } | { ok: false; failure: Failure; retryAfterSeconds?: number };

/** A plain value when the credential is known or malformed; a Promise while it is being checked. */
export function authenticate(req: IncomingMessage, deps: McpRouteDeps): AuthResult | Promise<AuthResult> {
  const clientAddress = req.socket.remoteAddress;
  const authorization = header(req, "authorization");
  if (!authorization) {
    const admitted = deps.anonymous?.();
    if (admitted) return anonymousCaller(deps, admitted, clientAddress);
    auditAuthentication(unidentified(deps, clientAddress), "deny", "MISSING");
    return unauthorized("missing Authorization: Bearer <api key or access token>");
  }
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  const token = match?.[1];
  if (!token) {
    auditAuthentication(unidentified(deps, clientAddress), "deny", "MALFORMED");
    return unauthorized("Authorization must be 'Bearer <api key>'");
  }
  const verdict = deps.verifier.verify(token, clientAddress);
  if (verdict instanceof Promise) return verdict.then((settled) => authResult(deps, token, clientAddress, settled));
  return authResult(deps, token, clientAddress, verdict);
}

function unidentified(deps: McpRouteDeps, clientAddress: string | undefined) {
  return { tenantId: null, keyId: null, audit: deps.audit, clientAddress };
}

function authResult(
  deps: McpRouteDeps,
  token: string,
  clientAddress: string | undefined,
  verdict: KeyVerification,
): AuthResult {
  if (!verdict.ok) {
    auditAuthentication(unidentified(deps, clientAddress), "deny", verdict.code);
    deps.log.info("api key refused", { reason: verdict.code });
    if (verdict.code === "INSUFFICIENT_SCOPE") {
      return {
        ok: false,
        failure: {
          code: "INSUFFICIENT_SCOPE",
          message: `token lacks a required scope (${verdict.requiredScopes.join(" ")})`,
        },
      };
    }
    if (verdict.code === "RATE_LIMITED") {
      return {
        ok: false,
        failure: { code: "RATE_LIMITED", message: "too many failed attempts; retry later" },
        retryAfterSeconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
      };
    }
    return unauthorized("invalid API key");
  }
  const access = deps.policies?.().accessFor(verdict.tenantId, verdict.keyId, verdict.roles);
  const caller: Caller = {
    tenantId: verdict.tenantId,
    keyId: verdict.keyId,
    access,
    audit: deps.audit,
    clientAddress,
    cache: deps.cache,
  };
  if (verdict.viaJwt && deps.tokenExchange) {
    caller.subjectToken = token;
    caller.tokenExchange = deps.tokenExchange;
  }
  auditAuthentication(caller, "allow", "VALID");
  return { ok: true, caller };
}

function anonymousCaller(deps: McpRouteDeps, admitted: AnonymousAccess, clientAddress?: string): AuthResult {
  const keyId = anonymousKeyId(clientAddress);
  const caller: Caller = {
    tenantId: admitted.tenantId,
    keyId,
    access: deps.policies?.().accessFor(admitted.tenantId, keyId, admitted.roles),
    audit: deps.audit,
    clientAddress,
    cache: deps.cache,
  };
  auditAuthentication(caller, "allow", "ANONYMOUS");
  return { ok: true, caller };
}

function unauthorized(message: string): AuthResult {
  return { ok: false, failure: { code: "UNAUTHORIZED", message } };
}

export function writeReply(res: ServerResponse, reply: McpReply, headers?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const all = reply.sessionId ? { ...headers, "Mcp-Session-Id": reply.sessionId } : headers;
  if (reply.body === undefined) sendEmpty(res, reply.status, all);
  else sendJson(res, reply.status, reply.body, all);
}

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Failure } from "../errors.ts";
import type { ApiKeyVerifier } from "../keys/verifier.ts";
import type { Logger } from "../log/logger.ts";
import { type Caller, failureReply, type McpEndpoint, type McpReply } from "../mcp/endpoint.ts";
import { detectEra, type McpHeaders } from "../mcp/era.ts";
import { classifyMessage, type RequestId } from "../mcp/json-rpc.ts";
import { isSupportedVersion } from "../mcp/protocol.ts";
import { Cancellation } from "../upstreams/cancellation.ts";
import { readBody } from "./body.ts";
import type { NotificationHub } from "./notification-hub.ts";
import { acceptsMcpResponse, header, isCrossOrigin, mediaType } from "./request-info.ts";
import { sendEmpty, sendJson } from "./respond.ts";
import { acceptsEventStream, LazySseResponse } from "./sse-response.ts";

export const MCP_BODY_LIMIT = 4 * 1024 * 1024;

export type McpRouteDeps = {
  endpoint: McpEndpoint;
  hub: NotificationHub;
  verifier: ApiKeyVerifier;
  log: Logger;
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
  if (isCrossOrigin(req)) {
    return writeReply(res, failureReply(null, { code: "FORBIDDEN_ORIGIN", message: "cross-origin request refused" }));
  }
  const caller = await authenticate(req, deps);
  if (!caller.ok) {
    return writeReply(res, failureReply(null, caller.failure), {
      "WWW-Authenticate": `Bearer resource_metadata="${deps.resourceMetadataUrl(req)}"`,
    });
  }
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
  if (method === "DELETE") return writeReply(res, deps.endpoint.delete(caller.caller, sessionId));
  if (method === "GET") {
    // The legacy server-to-client stream: list_changed of the tenant's upstreams.
    const failure = deps.endpoint.checkSession(caller.caller, sessionId);
    if (failure) return writeReply(res, failureReply(null, failure));
    if (!acceptsEventStream(header(req, "accept"))) {
      return writeReply(
        res,
        failureReply(null, { code: "NOT_ACCEPTABLE", message: "GET /mcp needs Accept: text/event-stream" }),
      );
    }
    return deps.hub.open(caller.caller.tenantId, res);
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
  const read = await readBody(req, MCP_BODY_LIMIT);
  if (!read.ok) {
    if ("aborted" in read) return;
    return writeReply(
      res,
      failureReply(null, { code: "PAYLOAD_TOO_LARGE", message: "body over 4 MiB" }),
      read.drained ? undefined : { Connection: "close" },
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(read.body.toString("utf8"));
  } catch {
    return writeReply(res, failureReply(null, { code: "PARSE_ERROR", message: "body is not valid JSON" }));
  }
  const headers: McpHeaders = {
    sessionId,
    protocolVersion,
    method: header(req, "mcp-method"),
    name: header(req, "mcp-name"),
  };
  const listen = listenRequest(headers, body);
  if (listen) {
    if ("failure" in listen) return writeReply(res, listen.failure);
    return deps.hub.open(caller.caller.tenantId, res, listen.id);
  }
  // A client that goes away cancels its upstream call.
  const cancellation = new Cancellation();
  const onClose = () => {
    if (!res.writableFinished) cancellation.cancel("client disconnected");
  };
  res.once("close", onClose);
  // Progress turns the answer into an SSE stream, lazily: a call that sends none is plain JSON.
  const sse = acceptsEventStream(header(req, "accept")) ? new LazySseResponse(res) : undefined;
  const reply = await deps.endpoint.post(caller.caller, headers, body, {
    cancellation,
    emit: sse ? (message) => sse.send(message) : undefined,
  });
  res.off("close", onClose);
  if (sse?.started) sse.finish(reply.body);
  else writeReply(res, reply);
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

export type AuthResult = { ok: true; caller: Caller } | { ok: false; failure: Failure };

export async function authenticate(req: IncomingMessage, deps: McpRouteDeps): Promise<AuthResult> {
  const authorization = header(req, "authorization");
  if (!authorization) return unauthorized("missing Authorization: Bearer <api key>");
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  const token = match?.[1];
  if (!token) return unauthorized("Authorization must be 'Bearer <api key>'");
  const verdict = await deps.verifier.verify(token);
  if (!verdict.ok) {
    deps.log.info("api key refused", { reason: verdict.code });
    return unauthorized("invalid API key");
  }
  return { ok: true, caller: { tenantId: verdict.tenantId, keyId: verdict.keyId } };
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

import type { IncomingMessage, ServerResponse } from "node:http";
import { auditAuthorization } from "../audit/record-decisions.ts";
import { exceedsJsonDepth } from "../limits/json-depth.ts";
import { failureReply } from "../mcp/endpoint.ts";
import { DEFAULT_REQUEST_LIMITS } from "../security/security-schema.ts";
import { Cancellation } from "../upstreams/cancellation.ts";
import { readBody } from "./body.ts";
import { authenticate, type McpRouteDeps, refuseAuthentication, upstreamDeadline, writeReply } from "./mcp-route.ts";
import { isCrossOrigin } from "./request-info.ts";
import { sendEmpty } from "./respond.ts";

const CROSS_ORIGIN = { code: "FORBIDDEN_ORIGIN", message: "cross-origin request refused" } as const;

type Stream = { res: ServerResponse; tenantId: string; keyId: string; eventId: number };

/**
 * The 2024-11-05 HTTP+SSE transport, for clients that still use it: `GET /sse`
 * opens the stream and names the `POST /messages?sessionId=…` endpoint; each
 * posted message is answered on the stream, the POST itself gets 202. The stream
 * lives on the replica that opened it (the transport is sticky by design); the
 * session id is the same signed id as on /mcp.
 */
export class LegacySseRoutes {
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly deps: McpRouteDeps) {}

  async open(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (isCrossOrigin(req)) return writeReply(res, failureReply(null, CROSS_ORIGIN));
    const caller = await authenticate(req, this.deps);
    if (!caller.ok) return refuseAuthentication(req, res, this.deps, caller);
    const sessionId = this.deps.endpoint.openSession(caller.caller);
    const stream: Stream = { res, tenantId: caller.caller.tenantId, keyId: caller.caller.keyId, eventId: 0 };
    this.streams.set(sessionId, stream);
    res.statusCode = 200;
    res.setHeader("Content-Type", "text/event-stream");
    res.setHeader("Cache-Control", "no-store");
    res.flushHeaders();
    res.write(`event: endpoint\ndata: /messages?sessionId=${encodeURIComponent(sessionId)}\n\n`);
    const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 25_000);
    keepAlive.unref();
    res.once("close", () => {
      clearInterval(keepAlive);
      this.streams.delete(sessionId);
      this.deps.endpoint.sessionClosed(stream.tenantId, sessionId);
    });
  }

  async post(req: IncomingMessage, res: ServerResponse, sessionId: string | null): Promise<void> {
    if (isCrossOrigin(req)) return writeReply(res, failureReply(null, CROSS_ORIGIN));
    const caller = await authenticate(req, this.deps);
    if (!caller.ok) return refuseAuthentication(req, res, this.deps, caller);
    const stream = sessionId ? this.streams.get(sessionId) : undefined;
    if (!sessionId || !stream || stream.tenantId !== caller.caller.tenantId || stream.keyId !== caller.caller.keyId) {
      return writeReply(
        res,
        failureReply(null, { code: "SESSION_NOT_FOUND", message: "no open /sse stream for this sessionId" }),
      );
    }
    // The same limits as /mcp: body size, JSON depth, rates and concurrency, upstream timeout.
    const limits = this.deps.requestLimits?.() ?? DEFAULT_REQUEST_LIMITS;
    const read = await readBody(req, limits.max_body_bytes);
    if (!read.ok) {
      if ("aborted" in read) return;
      return writeReply(
        res,
        failureReply(null, { code: "PAYLOAD_TOO_LARGE", message: `body over ${limits.max_body_bytes} bytes` }),
      );
    }
    if (exceedsJsonDepth(read.body, limits.max_json_depth)) {
      return writeReply(
        res,
        failureReply(null, { code: "NESTING_TOO_DEEP", message: `JSON nested deeper than ${limits.max_json_depth}` }),
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(read.body.toString("utf8"));
    } catch {
      return writeReply(res, failureReply(null, { code: "PARSE_ERROR", message: "body is not valid JSON" }));
    }
    const admission = this.deps.guard ? await this.deps.guard.admit(caller.caller) : undefined;
    if (admission && !admission.ok) {
      auditAuthorization(caller.caller, "POST", null, undefined, "deny", "RATE_LIMITED");
      return writeReply(res, failureReply(null, admission.failure), {
        "Retry-After": String(admission.retryAfterSeconds),
      });
    }
    sendEmpty(res, 202);
    const send = (message: unknown) => {
      if (!stream.res.writableEnded) {
        stream.res.write(`id: ${++stream.eventId}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
      }
    };
    const cancellation = new Cancellation();
    const timer = upstreamDeadline(cancellation, limits.upstream_timeout_ms);
    try {
      const reply = await this.deps.endpoint.post(caller.caller, { sessionId, sseTransport: true }, body, {
        emit: send,
        cancellation,
        timeoutMs: limits.upstream_timeout_ms,
      });
      if (reply.body !== undefined) send(reply.body);
    } finally {
      clearTimeout(timer);
      admission?.release();
    }
  }
}

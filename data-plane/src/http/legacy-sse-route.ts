import type { IncomingMessage, ServerResponse } from "node:http";
import { failureReply } from "../mcp/endpoint.ts";
import { DEFAULT_REQUEST_LIMITS } from "../security/security-schema.ts";
import { Cancellation } from "../upstreams/cancellation.ts";
import { type McpRouteDeps, upstreamDeadline, writeReply } from "./mcp-route.ts";
import { gateAdmission, gateCaller, gateJsonBody, REFUSED } from "./request-gate.ts";
import { sendEmpty, startEventStream } from "./respond.ts";

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
    const caller = await gateCaller(req, res, this.deps);
    if (caller === REFUSED) return;
    const sessionId = this.deps.endpoint.openSession(caller);
    const stream: Stream = { res, tenantId: caller.tenantId, keyId: caller.keyId, eventId: 0 };
    this.streams.set(sessionId, stream);
    startEventStream(res);
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
    const caller = await gateCaller(req, res, this.deps);
    if (caller === REFUSED) return;
    const stream = sessionId ? this.streams.get(sessionId) : undefined;
    if (!sessionId || !stream || stream.tenantId !== caller.tenantId || stream.keyId !== caller.keyId) {
      return writeReply(
        res,
        failureReply(null, { code: "SESSION_NOT_FOUND", message: "no open /sse stream for this sessionId" }),
      );
    }
    // The same limits as /mcp: body size, JSON depth, rates and concurrency, upstream timeout.
    const limits = this.deps.requestLimits?.() ?? DEFAULT_REQUEST_LIMITS;
    const body = await gateJsonBody(req, res, limits);
    if (body === REFUSED) return;
    const guard = this.deps.guard;
    const admission = guard ? await gateAdmission(res, guard, caller, "POST") : undefined;
    if (admission === REFUSED) return;
    sendEmpty(res, 202);
    const send = (message: unknown) => {
      if (!stream.res.writableEnded) {
        stream.res.write(`id: ${++stream.eventId}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
      }
    };
    const cancellation = new Cancellation();
    const timer = upstreamDeadline(cancellation, limits.upstream_timeout_ms);
    try {
      const reply = await this.deps.endpoint.post(caller, { sessionId, sseTransport: true }, body, {
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

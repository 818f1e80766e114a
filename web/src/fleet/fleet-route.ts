import { randomUUID, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import { ApiError, errorResponse } from "../api/errors.ts";
import { type ControlPlaneModule, loadControlPlane } from "../control-plane.ts";

/**
 * Routes the data planes call (heartbeat, audit ingest). They carry no operator:
 * they prove they are ours with the shared node token (ONLY1MCP_NODE_TOKEN, given
 * to web and data planes by the launcher). Same error envelope as /api/v1.
 */
export function fleetRoute<S extends z.ZodType>(spec: {
  /** Picked from the control-plane module at request time (never loaded by `next build`). */
  body: (cp: ControlPlaneModule) => S;
  maxBodyBytes: number;
  handler: (body: z.output<S>) => Promise<unknown>;
}) {
  return async (request: Request): Promise<Response> => {
    const requestId = `req_${randomUUID().replaceAll("-", "")}`;
    try {
      authenticateNode(request.headers.get("authorization"));
      if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? ""))
        throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "The request body must be application/json.");
      const text = await request.text();
      if (Buffer.byteLength(text) > spec.maxBodyBytes)
        throw new ApiError("PAYLOAD_TOO_LARGE", `The body exceeds ${spec.maxBodyBytes} bytes.`);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ApiError("INVALID_REQUEST", "The request body is not valid JSON.");
      }
      const parsed = spec.body(await loadControlPlane()).safeParse(json);
      if (!parsed.success)
        throw new ApiError(
          "INVALID_REQUEST",
          "Invalid request body.",
          parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
        );
      const result = await spec.handler(parsed.data);
      return new Response(JSON.stringify(result), {
        status: 200,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "cache-control": "no-store",
          "x-request-id": requestId,
        },
      });
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error, requestId);
      process.stderr.write(`[fleet] ${requestId} unexpected failure: ${(error as Error).message}\n`);
      return errorResponse(new ApiError("INTERNAL", "Internal error."), requestId);
    }
  };
}

function authenticateNode(header: string | null): void {
  const expected = process.env.ONLY1MCP_NODE_TOKEN;
  if (!expected) throw new ApiError("UNAVAILABLE", "Fleet endpoints are disabled: ONLY1MCP_NODE_TOKEN is not set.");
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  const given = Buffer.from(match?.[1] ?? "");
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted))
    throw new ApiError("UNAUTHENTICATED", "A data-plane node token is required.");
}

import type { IncomingMessage, ServerResponse } from "node:http";
import { auditAuthorization } from "../audit/record-decisions.ts";
import { exceedsJsonDepth } from "../limits/json-depth.ts";
import type { Admission, RequestGuard } from "../limits/request-guard.ts";
import { type Caller, failureReply } from "../mcp/endpoint.ts";
import type { RequestLimits } from "../security/security-schema.ts";
import { readBody } from "./body.ts";
import { authenticate, type McpRouteDeps, refuseAuthentication, writeReply } from "./mcp-route.ts";
import { isCrossOrigin } from "./request-info.ts";

/**
 * The checks every MCP route (/mcp, /sse, /messages) runs before the endpoint, in one
 * place: origin + credential, rate/concurrency admission, and the JSON body (size,
 * nesting, parse). Each answers a refusal itself and returns REFUSED.
 */
export const REFUSED: unique symbol = Symbol("refused");

/** Same-origin check, then the API key or access token; refusals are answered (401/403/429). */
export async function gateCaller(
  req: IncomingMessage,
  res: ServerResponse,
  deps: McpRouteDeps,
): Promise<Caller | typeof REFUSED> {
  if (isCrossOrigin(req)) {
    writeReply(res, failureReply(null, { code: "FORBIDDEN_ORIGIN", message: "cross-origin request refused" }));
    return REFUSED;
  }
  const caller = await authenticate(req, deps);
  if (caller.ok) return caller.caller;
  refuseAuthentication(req, res, deps, caller);
  return REFUSED;
}

/** Rate and concurrency limits (call it only when there is a guard); a refusal is answered 429 + Retry-After. */
export async function gateAdmission(
  res: ServerResponse,
  guard: RequestGuard,
  caller: Caller,
  method: string,
): Promise<Extract<Admission, { ok: true }> | typeof REFUSED> {
  const admission = await guard.admit(caller);
  if (admission.ok) return admission;
  auditAuthorization(caller, method, null, undefined, "deny", "RATE_LIMITED");
  writeReply(res, failureReply(null, admission.failure), { "Retry-After": String(admission.retryAfterSeconds) });
  return REFUSED;
}

/** The whole body as JSON within the limits: 413 (closing the connection when not drained), nesting, parse error. */
export async function gateJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  limits: RequestLimits,
): Promise<unknown | typeof REFUSED> {
  const read = await readBody(req, limits.max_body_bytes);
  if (!read.ok) {
    if (!("aborted" in read)) {
      writeReply(
        res,
        failureReply(null, { code: "PAYLOAD_TOO_LARGE", message: `body over ${limits.max_body_bytes} bytes` }),
        read.drained ? undefined : { Connection: "close" },
      );
    }
    return REFUSED;
  }
  if (exceedsJsonDepth(read.body, limits.max_json_depth)) {
    writeReply(
      res,
      failureReply(null, { code: "NESTING_TOO_DEEP", message: `JSON nested deeper than ${limits.max_json_depth}` }),
    );
    return REFUSED;
  }
  try {
    return JSON.parse(read.body.toString("utf8")) as unknown;
  } catch {
    writeReply(res, failureReply(null, { code: "PARSE_ERROR", message: "body is not valid JSON" }));
    return REFUSED;
  }
}

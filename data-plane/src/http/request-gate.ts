import type { IncomingMessage, ServerResponse } from "node:http";
import { auditAuthorization } from "../audit/record-decisions.ts";
import { exceedsJsonDepth } from "../limits/json-depth.ts";
import type { Admission, RequestGuard } from "../limits/request-guard.ts";
import { type Caller, failureReply } from "../mcp/endpoint.ts";
import type { RequestLimits } from "../security/security-schema.ts";
import { readBody } from "./body.ts";
import { type AuthResult, authenticate, type McpRouteDeps, refuseAuthentication, writeReply } from "./mcp-route.ts";
import { isCrossOrigin } from "./request-info.ts";

/**
 * The checks every MCP route (/mcp, /sse, /messages) runs before the endpoint, in one
 * place: origin + credential, rate/concurrency admission, and the JSON body (size,
 * nesting, parse). Each answers a refusal itself and returns REFUSED.
 */
export const REFUSED: unique symbol = Symbol("refused");

/**
 * Same-origin check, then the API key or access token; refusals are answered (401/403/429).
 * A plain value when the credential is known (the steady state); a Promise only when it must be checked (bcrypt, JWKS).
 */
export function gateCaller(
  req: IncomingMessage,
  res: ServerResponse,
  deps: McpRouteDeps,
): Caller | typeof REFUSED | Promise<Caller | typeof REFUSED> {
  if (isCrossOrigin(req)) {
    writeReply(res, failureReply(null, { code: "FORBIDDEN_ORIGIN", message: "cross-origin request refused" }));
    return REFUSED;
  }
  const result = authenticate(req, deps);
  if (result instanceof Promise) return result.then((settled) => callerOrRefusal(req, res, deps, settled));
  return callerOrRefusal(req, res, deps, result);
}

function callerOrRefusal(
  req: IncomingMessage,
  res: ServerResponse,
  deps: McpRouteDeps,
  result: AuthResult,
): Caller | typeof REFUSED {
  if (result.ok) return result.caller;
  refuseAuthentication(req, res, deps, result);
  return REFUSED;
}

/**
 * Rate and concurrency limits (call it only when there is a guard); a refusal is answered 429 + Retry-After.
 * Synchronous with the memory store; a Promise when the shared (Redis) store is asked.
 */
export function gateAdmission(
  res: ServerResponse,
  guard: RequestGuard,
  caller: Caller,
  method: string,
): Admitted | typeof REFUSED | Promise<Admitted | typeof REFUSED> {
  const admission = guard.admit(caller);
  if (admission instanceof Promise) return admission.then((settled) => admittedOrRefusal(res, caller, method, settled));
  return admittedOrRefusal(res, caller, method, admission);
}

type Admitted = Extract<Admission, { ok: true }>;

function admittedOrRefusal(
  res: ServerResponse,
  caller: Caller,
  method: string,
  admission: Admission,
): Admitted | typeof REFUSED {
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

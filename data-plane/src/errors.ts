/**
 * The data plane's one error taxonomy: every refusal has a stable code, and this
 * file alone maps a code to its HTTP status and (on /mcp) its JSON-RPC code.
 */
export const ERRORS = {
  /** Body is not JSON. */
  PARSE_ERROR: { status: 400, rpc: -32700 },
  /** JSON, but not a JSON-RPC request/notification of the expected shape. */
  INVALID_REQUEST: { status: 400, rpc: -32600 },
  /** JSON-RPC method this gateway does not implement. */
  METHOD_NOT_FOUND: { status: 200, rpc: -32601 },
  /** Params of the wrong shape, or a tool name no upstream of the tenant offers. */
  INVALID_PARAMS: { status: 200, rpc: -32602 },
  /** The upstream that owns the tool is not connected. */
  UPSTREAM_UNAVAILABLE: { status: 200, rpc: -32603 },
  /** The upstream failed the call without a JSON-RPC error of its own. */
  UPSTREAM_FAILED: { status: 200, rpc: -32603 },
  /** A bug or infrastructure failure in the gateway. */
  INTERNAL: { status: 500, rpc: -32603 },
  /** No credential, or one that does not verify. */
  UNAUTHORIZED: { status: 401, rpc: -32001 },
  /** A valid token that lacks a scope this resource requires. */
  INSUFFICIENT_SCOPE: { status: 403, rpc: -32001 },
  /** A browser request from another origin (DNS rebinding protection). */
  FORBIDDEN_ORIGIN: { status: 403, rpc: -32600 },
  /** Credentials were put in the query string, where they leak into logs. */
  CREDENTIALS_IN_QUERY: { status: 400, rpc: -32600 },
  /** Mcp-Session-Id unknown, expired, or bound to another credential. */
  SESSION_NOT_FOUND: { status: 404, rpc: -32001 },
  /** A non-initialize request without Mcp-Session-Id. */
  SESSION_REQUIRED: { status: 400, rpc: -32600 },
  /** A 2026-07-28 request whose MCP-Protocol-Version / Mcp-Method / Mcp-Name headers disagree with its body. */
  HEADER_MISMATCH: { status: 400, rpc: -32020 },
  /** A 2026-07-28 request whose `_meta` envelope is missing or malformed (refused before dispatch). */
  INVALID_PARAMS_HTTP: { status: 400, rpc: -32602 },
  /** MCP-Protocol-Version header names a version this gateway does not speak. */
  UNSUPPORTED_PROTOCOL_VERSION: { status: 400, rpc: -32600 },
  /** Body over the route's limit. */
  PAYLOAD_TOO_LARGE: { status: 413, rpc: -32600 },
  /** Content-Type is not the one the route accepts. */
  UNSUPPORTED_MEDIA_TYPE: { status: 415, rpc: -32600 },
  /** Accept header allows neither application/json nor text/event-stream. */
  NOT_ACCEPTABLE: { status: 406, rpc: -32600 },
  /** A rate or concurrency limit refused the request (HTTP 429 with Retry-After). */
  RATE_LIMITED: { status: 429, rpc: -32029 },
  /** JSON nested deeper than the configured limit. */
  NESTING_TOO_DEEP: { status: 400, rpc: -32600 },
  /** HTTP method not allowed on the route. */
  METHOD_NOT_ALLOWED: { status: 405, rpc: -32600 },
  /** No such route. */
  NOT_FOUND: { status: 404, rpc: -32600 },
  /** Snapshot body is not a compact JWS. */
  SNAPSHOT_MALFORMED: { status: 400, rpc: -32600 },
  /** Snapshot signature does not verify (tampered, wrong key, wrong alg/typ). */
  SNAPSHOT_BAD_SIGNATURE: { status: 400, rpc: -32600 },
  /** Snapshot signed by a kid not in the trusted keys. */
  SNAPSHOT_UNKNOWN_KEY: { status: 400, rpc: -32600 },
  /** Signature fine, payload fails the snapshot.v1 schema. */
  SNAPSHOT_INVALID_PAYLOAD: { status: 422, rpc: -32600 },
  /** Snapshot past its expiresAt. */
  SNAPSHOT_EXPIRED: { status: 422, rpc: -32600 },
  /** Snapshot version not newer than the applied one (replay or rollback). */
  SNAPSHOT_STALE: { status: 409, rpc: -32600 },
  /** Snapshot pushes are refused while a local --config file drives the data plane. */
  SNAPSHOT_LOCAL_CONFIG: { status: 409, rpc: -32600 },
} as const satisfies Record<string, { status: number; rpc: number }>;

export type ErrorCode = keyof typeof ERRORS;

export type Failure = { code: ErrorCode; message: string };

export function httpStatusOf(code: ErrorCode): number {
  return ERRORS[code].status;
}

export function rpcCodeOf(code: ErrorCode): number {
  return ERRORS[code].rpc;
}

/** The HTTP error envelope used outside /mcp. */
export function httpErrorBody(
  failure: Failure,
  requestId?: string,
): { code: ErrorCode; message: string; requestId?: string } {
  return requestId ? { code: failure.code, message: failure.message, requestId } : { ...failure };
}

/** The JSON-RPC error object used on /mcp; `data.code` carries the domain code. */
export function rpcError(failure: Failure): { code: number; message: string; data: { code: ErrorCode } } {
  return { code: rpcCodeOf(failure.code), message: failure.message, data: { code: failure.code } };
}

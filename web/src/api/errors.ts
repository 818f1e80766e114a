/**
 * The console API's error taxonomy: one code per expected failure, one HTTP status
 * per code, one JSON envelope `{ code, message, requestId }`. Handlers throw
 * `ApiError`; the route builder maps it (and nothing else) to a response.
 */
export const API_ERROR_CODES = {
  /** The request carries no credential, or one that is unknown, expired or revoked. */
  UNAUTHENTICATED: 401,
  /** The operator is known but holds no role that grants the route's permission. */
  FORBIDDEN: 403,
  /** The route exists but declares no permission: refused, never served (fail closed). */
  ROUTE_NOT_AUTHORISED: 403,
  /** The query string or body failed validation. */
  INVALID_REQUEST: 400,
  /** The requested resource does not exist (yet). */
  NOT_FOUND: 404,
  /** The route exists but does not answer this HTTP method (the Allow header lists those it does). */
  METHOD_NOT_ALLOWED: 405,
  /** The request body is larger than the route accepts. */
  PAYLOAD_TOO_LARGE: 413,
  /** The request body is not JSON. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** The request conflicts with the current state. */
  CONFLICT: 409,
  /** Too many requests. */
  RATE_LIMITED: 429,
  /** An unexpected failure: details go to the server log, never to the client. */
  INTERNAL: 500,
  /** A dependency (the control plane, the database) is not available. */
  UNAVAILABLE: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = API_ERROR_CODES[code];
    this.details = details;
  }
}

export type ApiErrorBody = { code: ApiErrorCode; message: string; requestId: string; details?: unknown };

/** The one envelope every API error is sent in. */
export function errorResponse(error: ApiError, requestId: string): Response {
  const body: ApiErrorBody = { code: error.code, message: error.message, requestId };
  if (error.details !== undefined) body.details = error.details;
  const headers = new Headers({
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "x-request-id": requestId,
  });
  if (error.status === 401) headers.set("www-authenticate", 'Bearer realm="only1mcp"');
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { ApiError, errorResponse } from "./errors.ts";
import { type Authz, authorize, isPermission, type OperatorRoleGrant, type Permission } from "./permissions.ts";
import { isDatabaseUnavailable } from "./unavailable.ts";

/**
 * The one way to build an API route handler. In order, for every request:
 * refuse routes that declare no permission (fail closed), authenticate the operator
 * (bearer token, else console session), check the declared permission against the
 * operator's roles, parse the query and body with zod, run the handler, and map
 * `ApiError` to the `{ code, message, requestId }` envelope. Handlers only delegate.
 */

export type Operator = { id: string; email: string; name: string };

export type AuthenticatedOperator = {
  operator: Operator;
  roles: OperatorRoleGrant[];
  /** How the request proved who it is. */
  via: "token" | "session";
  /** Token scopes: a read-only token, a token bound to one tenant. */
  readOnly?: boolean;
  tokenTenantId?: string | null;
};

/** The operator's CASL abilities (shared module), computed once per request. */
export function principalAuthz(principal: AuthenticatedOperator): Authz {
  return authorize({
    operatorId: principal.operator.id,
    grants: principal.roles,
    readOnly: principal.readOnly ?? false,
    tenantId: principal.tokenTenantId ?? null,
  });
}

/** How the builder learns who is calling; injected so the builder is testable alone. */
export type RouteAuthenticator = {
  /** The operator behind an operator API token, or null when the token is unknown, expired or revoked. */
  bearer(token: string): Promise<AuthenticatedOperator | null>;
  /** The operator signed in to the console, or null without a valid session. */
  session(request: Request): Promise<AuthenticatedOperator | null>;
};

export type RouteBuilderDeps = {
  authenticate: RouteAuthenticator;
  requestId?: () => string;
  /** Where unexpected failures are reported (never sent to the client). */
  logError?: (requestId: string, error: unknown) => void;
};

type AnySchema = z.ZodType;
type Output<S> = S extends AnySchema ? z.output<S> : undefined;

export type RouteContext<Q, B> = {
  request: Request;
  requestId: string;
  principal: AuthenticatedOperator;
  /** The caller's abilities: handlers use it to filter lists and check per-object targets. */
  authz: Authz;
  /** The tenant from the path (`[tenantId]`), already checked against the permission. */
  tenantId: string | undefined;
  query: Q;
  body: B;
  params: Record<string, string | string[] | undefined>;
};

export type RouteSpec<QS extends AnySchema | undefined, BS extends AnySchema | undefined> = {
  /** The permission the caller must hold. Required: a route without one is refused. */
  permission: Permission;
  query?: QS;
  body?: BS;
  /** Largest accepted body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  handler: (ctx: RouteContext<Output<QS>, Output<BS>>) => Promise<Response | JsonValue> | Response | JsonValue;
};

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };

/** What Next.js calls: `export const GET = route({...})`. */
export type RouteHandler = (request: Request, context?: { params?: Promise<unknown> }) => Promise<Response>;

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const BEARER = /^Bearer[ ]+([^\s]+)\s*$/i;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function createRouteBuilder(deps: RouteBuilderDeps) {
  const nextRequestId = deps.requestId ?? (() => `req_${randomUUID().replaceAll("-", "")}`);
  const logError =
    deps.logError ??
    ((requestId: string, error: unknown) => {
      console.error(`[api] ${requestId} unexpected failure`, error);
    });

  return function route<QS extends AnySchema | undefined = undefined, BS extends AnySchema | undefined = undefined>(
    spec: RouteSpec<QS, BS>,
  ): RouteHandler {
    // Checked at run time too: a JS caller, a cast or a typo must not open a route.
    const declared: unknown = (spec as { permission?: unknown }).permission;
    const permission = isPermission(declared) ? declared : null;

    return async (request, context) => {
      const requestId = nextRequestId();
      try {
        if (permission === null) {
          throw new ApiError("ROUTE_NOT_AUTHORISED", "This route declares no permission and is refused.");
        }
        const principal = await authenticate(deps.authenticate, request);
        const params = ((await context?.params) ?? {}) as Record<string, string | string[] | undefined>;
        checkPathParams(params);
        // The tenant is the path's, never the body's; the check runs on that tenant.
        const tenantId = typeof params.tenantId === "string" ? params.tenantId : undefined;
        const authz = principalAuthz(principal);
        // Operator tokens and sessions are always the caller's own.
        const target = tenantId === undefined ? undefined : { tenantId, operatorId: principal.operator.id };
        const decision = authz.decide(permission, target);
        if (!decision.allowed) throw new ApiError("FORBIDDEN", `Forbidden: ${decision.reason}.`);

        const query = parseQuery(spec.query, request);
        const body = await parseBody(spec.body, request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);

        const result = await spec.handler({
          request,
          requestId,
          principal,
          authz,
          tenantId,
          query: query as Output<QS>,
          body: body as Output<BS>,
          params,
        });
        // Re-wrapped: a handler's Response may carry immutable headers (Response.redirect).
        const response = result instanceof Response ? new Response(result.body, result) : jsonResponse(result);
        response.headers.set("x-request-id", requestId);
        return response;
      } catch (error) {
        if (error instanceof ApiError) return errorResponse(error, requestId);
        logError(requestId, error);
        if (isDatabaseUnavailable(error)) {
          return errorResponse(new ApiError("UNAVAILABLE", "The database is unavailable; retry shortly."), requestId);
        }
        return errorResponse(new ApiError("INTERNAL", "Internal error."), requestId);
      }
    };
  };
}

const MAX_PATH_PARAM = 200;
/** Control characters (NUL above all: Postgres refuses it in text, which was a 500). */
const hasControlCharacter = (value: string) =>
  [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** Ids in the path are checked before anything reads them: a NUL, a control character or a huge value is a 400. */
function checkPathParams(params: Record<string, string | string[] | undefined>): void {
  for (const [name, value] of Object.entries(params)) {
    for (const part of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      if (part.length > MAX_PATH_PARAM || hasControlCharacter(part)) {
        throw new ApiError("INVALID_REQUEST", `Invalid path parameter '${name}'.`);
      }
    }
  }
}

async function authenticate(authenticator: RouteAuthenticator, request: Request): Promise<AuthenticatedOperator> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    // An explicit credential is never silently replaced by a session cookie.
    const match = BEARER.exec(header);
    const token = match?.[1];
    if (token === undefined) throw new ApiError("UNAUTHENTICATED", "Authorization must be a Bearer token.");
    const principal = await authenticator.bearer(token);
    if (principal === null) throw new ApiError("UNAUTHENTICATED", "The bearer token is invalid, expired or revoked.");
    return principal;
  }
  const principal = await authenticator.session(request);
  if (principal === null) {
    throw new ApiError("UNAUTHENTICATED", "Sign in or send Authorization: Bearer <operator API token>.");
  }
  if (!SAFE_METHODS.has(request.method.toUpperCase()) && !isSameOrigin(request)) {
    // Session cookies are ambient credentials: state changes must come from the console itself.
    throw new ApiError("FORBIDDEN", "Cross-origin request refused.");
  }
  return principal;
}

function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function parseQuery(schema: AnySchema | undefined, request: Request): unknown {
  if (schema === undefined) return undefined;
  const url = new URL(request.url);
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    raw[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ApiError("INVALID_REQUEST", "Invalid query string.", issues(parsed.error));
  return parsed.data;
}

async function parseBody(schema: AnySchema | undefined, request: Request, maxBytes: number): Promise<unknown> {
  if (schema === undefined) return undefined;
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "The request body must be application/json.");
  }
  const declaredLength = Number(request.headers.get("content-length") ?? "0");
  if (declaredLength > maxBytes) throw new ApiError("PAYLOAD_TOO_LARGE", `The body exceeds ${maxBytes} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes)
    throw new ApiError("PAYLOAD_TOO_LARGE", `The body exceeds ${maxBytes} bytes.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError("INVALID_REQUEST", "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError("INVALID_REQUEST", "Invalid request body.", issues(parsed.error));
  return parsed.data;
}

function issues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

function jsonResponse(value: JsonValue): Response {
  return new Response(JSON.stringify(value), {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

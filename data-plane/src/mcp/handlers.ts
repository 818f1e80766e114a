import type { AuditSink } from "../audit/audit-shipper.ts";
import { auditAuthorization, auditCall, recording } from "../audit/record-decisions.ts";
import { TokenExchangeError, type TokenExchanger } from "../auth/token-exchange.ts";
import { cachedCall, type ToolResultCache } from "../cache/cached-call.ts";
import { cachedResourceRead } from "../cache/cached-resource-read.ts";
import type { Failure } from "../errors.ts";
import type { CacheRule, CallerAccess } from "../policy/caller-access.ts";
import { enforceToolCall } from "../policy/enforce-call.ts";
import { toolFacts } from "../policy/tool-facts.ts";
import type { Cancellation } from "../upstreams/cancellation.ts";
import type { UpstreamConnection } from "../upstreams/connection.ts";
import { UpstreamDownError } from "../upstreams/connection.ts";
import type { TenantView, ToolRoute } from "../upstreams/manager.ts";
import {
  RequestCancelledError,
  type RpcMessage,
  type RpcReply,
  UpstreamClosedError,
  UpstreamTimeoutError,
} from "../upstreams/rpc-peer.ts";
import type { InputFlow } from "./client-requests.ts";
import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  PROTOCOL_VERSION_META_KEY,
  SERVER_INFO_META_KEY,
} from "./era.ts";
import { MODERN_PROTOCOL_VERSIONS, negotiateVersion, SERVER_INFO } from "./protocol.ts";

/** What the method handlers need from the upstream side; UpstreamManager implements it. */
export interface ToolCatalog {
  listTools(tenantId: string): readonly Record<string, unknown>[];
  resolveTool(tenantId: string, exposedName: string): ToolRoute | undefined;
  upstreamForToolName(tenantId: string, exposedName: string): UpstreamConnection | undefined;
  tenantView?(tenantId: string): TenantView;
  upstreamsOf?(tenantId: string): readonly UpstreamConnection[];
  /** A legacy session ended: per-session upstream processes stop. */
  endSession?(tenantId: string, sessionId: string): void;
}

/**
 * Transparency: a name no upstream lists goes to the tenant's one unprefixed
 * upstream, when there is exactly one, so it answers in its own words (an
 * error result, its own error code) exactly as it would called directly.
 */
function unprefixedUpstream(catalog: ToolCatalog, tenantId: string): UpstreamConnection | undefined {
  const candidates = (catalog.upstreamsOf?.(tenantId) ?? []).filter((c) => c.def.prefix === "" && c.state !== "down");
  return candidates.length === 1 ? candidates[0] : undefined;
}

export type CallContext = {
  tenantId: string;
  keyId: string;
  cancellation?: Cancellation;
  /** The 2026-07-28 era: stateless, lists carry ttlMs/cacheScope. */
  modern?: boolean;
  /** Sends a message to the client while the request runs (progress); absent when it cannot. */
  emit?: (message: RpcMessage) => void;
  /** Upstream call timeout (security.limits); the peer's default without it. */
  timeoutMs?: number;
  /** What the caller's policies let it see and call (src/policy); absent = unrestricted. */
  access?: CallerAccess;
  /**
   * The protocol version in force (the session's negotiated one, or the 2026-07-28
   * request's own): decides how argument errors are reported.
   */
  protocolVersion?: string;
  /** Audit of authorization decisions and calls (src/audit); absent = not recorded. */
  audit?: AuditSink;
  clientAddress?: string;
  /** Results of tools the caller's policy marks cacheable (src/cache). */
  cache?: ToolResultCache;
  /** The caller's access token and the exchanger for upstreams with `tokenExchange` (RFC 8693). */
  subjectToken?: string;
  tokenExchange?: TokenExchanger;
  /** Legacy era: the caller's session (an upstream's sampling/elicitation/roots request goes back on `emit`). */
  sessionId?: string;
  /** 2026-07-28: the call's multi round-trip flow (upstream requests become `input_required`). */
  flow?: InputFlow;
  /** Legacy era: the sampling/elicitation/roots capabilities the session's client declared. */
  clientCapabilities?: string;
};

export type HandlerOutcome =
  | { ok: true; result: unknown }
  | { ok: false; error: Failure }
  /** An upstream's own JSON-RPC error, passed through unchanged. */
  | { ok: false; upstreamError: { code: number; message: string; data?: unknown } };

type Params = Record<string, unknown> | undefined;

const PAGE_SIZE = 200;
const ENVELOPE_KEYS = new Set([
  PROTOCOL_VERSION_META_KEY,
  CLIENT_INFO_META_KEY,
  CLIENT_CAPABILITIES_META_KEY,
  "io.modelcontextprotocol/logLevel",
]);
/** Gateway-built lists are per tenant and change with upstreams: private, not cached. */
const CACHE_HINT = { ttlMs: 0, cacheScope: "private" } as const;

export const GATEWAY_CAPABILITIES = {
  tools: { listChanged: true },
  prompts: { listChanged: true },
  resources: { listChanged: true, subscribe: true },
  completions: {},
  logging: {},
} as const;

export function initializeResult(params: Params): { ok: true; result: unknown; version: string } | HandlerOutcome {
  if (!params || typeof params.protocolVersion !== "string") {
    return invalidParams("initialize needs params.protocolVersion (a string)");
  }
  const version = negotiateVersion(params.protocolVersion);
  return {
    ok: true,
    version,
    result: { protocolVersion: version, capabilities: GATEWAY_CAPABILITIES, serverInfo: SERVER_INFO },
  };
}

export function discoverResult(): HandlerOutcome {
  return {
    ok: true,
    result: {
      supportedVersions: [...MODERN_PROTOCOL_VERSIONS],
      capabilities: GATEWAY_CAPABILITIES,
      ...CACHE_HINT,
      _meta: { [SERVER_INFO_META_KEY]: SERVER_INFO },
    },
  };
}

type ListKind = "tools" | "prompts" | "resources" | "resourceTemplates";

/** One page of an aggregated list; the cursor is the offset, opaque to clients. */
export function listPage(catalog: ToolCatalog, ctx: CallContext, kind: ListKind, params: Params): HandlerOutcome {
  const all = visibleItems(catalog, ctx, kind);
  let offset = 0;
  const cursor = params?.cursor;
  if (cursor !== undefined) {
    const parsed =
      typeof cursor === "string" ? Number.parseInt(Buffer.from(cursor, "base64url").toString(), 10) : Number.NaN;
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > all.length) return invalidParams("invalid cursor");
    offset = parsed;
  }
  const page = offset === 0 && all.length <= PAGE_SIZE ? all : all.slice(offset, offset + PAGE_SIZE);
  const result: Record<string, unknown> = { [kind]: page };
  if (offset + PAGE_SIZE < all.length)
    result.nextCursor = Buffer.from(String(offset + PAGE_SIZE)).toString("base64url");
  if (ctx.modern) Object.assign(result, CACHE_HINT);
  return { ok: true, result };
}

export async function callTool(catalog: ToolCatalog, ctx: CallContext, params: Params): Promise<HandlerOutcome> {
  const name = params?.name;
  if (typeof name !== "string" || name.length === 0) return invalidParams("tools/call needs params.name (a string)");
  const args = params?.arguments;
  if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args))) {
    return invalidParams("params.arguments must be an object");
  }
  const route = catalog.resolveTool(ctx.tenantId, name);
  if (!route) {
    const upstream = catalog.upstreamForToolName(ctx.tenantId, name);
    if (upstream && upstream.state !== "ready") {
      auditAuthorization(ctx, "tools/call", name, undefined, "deny", "UPSTREAM_UNAVAILABLE");
      return unavailable(upstream.def.name, upstream.state, upstream.error);
    }
    // Transparency (an unlisted name goes to the sole unprefixed upstream) only for callers no
    // policy restricts: a restricted caller cannot call what it was not shown.
    const fallback = unrestricted(ctx) ? unprefixedUpstream(catalog, ctx.tenantId) : undefined;
    if (fallback) {
      const ref = { server: fallback.def.name, originalTool: name };
      auditAuthorization(ctx, "tools/call", name, ref, "allow", "ALLOWED");
      return audited(ctx, name, ref, args, () => forward(fallback, "tools/call", { ...params }, ctx));
    }
    auditAuthorization(ctx, "tools/call", name, undefined, "deny", "NOT_FOUND");
    return unknownTool(name);
  }
  const ref = { server: route.connection.def.name, originalTool: route.toolName };
  // Policy, visibility, inputSchema (ajv) and argument constraints: all before any upstream sees the call.
  const verdict = enforceToolCall(
    ctx.access,
    catalog.listTools(ctx.tenantId),
    name,
    route,
    (args ?? {}) as Record<string, unknown>,
  );
  if (!verdict.ok) {
    auditAuthorization(ctx, "tools/call", name, ref, "deny", verdict.kind === "hidden" ? "FORBIDDEN" : verdict.code);
    if (verdict.kind === "hidden") return unknownTool(name);
    return argumentError(ctx, verdict.message);
  }
  auditAuthorization(ctx, "tools/call", name, ref, "allow", "ALLOWED");
  const forwarded = { ...params, name: route.toolName };
  const cacheRule = verdict.facts && ctx.cache ? ctx.access?.cacheRule(verdict.facts) : undefined;
  const call = cacheRule
    ? () => cachedOutcome(ctx, cacheRule, name, args, () => forward(route.connection, "tools/call", forwarded, ctx))
    : () => forward(route.connection, "tools/call", forwarded, ctx);
  return recording(ctx.audit) ? audited(ctx, name, ref, args, call) : call();
}

function unrestricted(ctx: CallContext): boolean {
  return ctx.access === undefined || ctx.access.unrestricted;
}

/** One audit event per call: status and latency (arguments hashed by auditCall). */
async function audited(
  ctx: CallContext,
  name: string,
  ref: { server: string; originalTool: string },
  args: unknown,
  call: () => Promise<HandlerOutcome>,
): Promise<HandlerOutcome> {
  const started = performance.now();
  const outcome = await call();
  const latency = performance.now() - started;
  if (outcome.ok) {
    const isError = (outcome.result as { isError?: unknown } | null)?.isError === true;
    auditCall(ctx, name, ref, args, "allow", isError ? "TOOL_ERROR" : "OK", latency);
  } else {
    auditCall(ctx, name, ref, args, "error", "UPSTREAM_ERROR", latency);
  }
  return outcome;
}

/** A failed outcome carried through the cache (which only stores successful results). */
class NotCached extends Error {
  constructor(readonly outcome: HandlerOutcome) {
    super("not cached");
  }
}

async function cachedOutcome(
  ctx: CallContext,
  rule: NonNullable<ReturnType<CallerAccess["cacheRule"]>>,
  name: string,
  args: unknown,
  run: () => Promise<HandlerOutcome>,
): Promise<HandlerOutcome> {
  try {
    const result = await cachedCall(ctx.cache, rule, ctx, name, args, async () => {
      const outcome = await run();
      if (!outcome.ok || typeof outcome.result !== "object" || outcome.result === null) throw new NotCached(outcome);
      return outcome.result as Record<string, unknown>;
    });
    return { ok: true, result };
  } catch (error) {
    if (error instanceof NotCached) return error.outcome;
    throw error;
  }
}

export async function getPrompt(catalog: ToolCatalog, ctx: CallContext, params: Params): Promise<HandlerOutcome> {
  const name = params?.name;
  if (typeof name !== "string") return invalidParams("prompts/get needs params.name (a string)");
  const route = catalog.tenantView?.(ctx.tenantId).promptRoutes.get(name);
  const ref = route ? { server: route.connection.def.name, originalTool: route.toolName } : undefined;
  if (!route && unrestricted(ctx)) {
    const fallback = unprefixedUpstream(catalog, ctx.tenantId);
    if (fallback) return forward(fallback, "prompts/get", { ...params }, ctx);
  }
  // A prompt the caller may not get looks exactly like an unknown one.
  if (!route || ctx.access?.promptDecision(name, route.toolName, route.connection.def.name)) {
    auditAuthorization(ctx, "prompts/get", name, ref, "deny", route ? "FORBIDDEN" : "NOT_FOUND");
    return invalidParams(`unknown prompt '${name}'`);
  }
  auditAuthorization(ctx, "prompts/get", name, ref, "allow", "ALLOWED");
  return forward(route.connection, "prompts/get", { ...params, name: route.toolName }, ctx);
}

/** resources/read, subscribe, unsubscribe: routed by URI (listed resource, else the longest template prefix). */
export async function resourceCall(
  catalog: ToolCatalog,
  ctx: CallContext,
  method: string,
  params: Params,
): Promise<HandlerOutcome> {
  const uri = params?.uri;
  if (typeof uri !== "string") return invalidParams(`${method} needs params.uri (a string)`);
  const connection = resourceOwner(catalog, ctx.tenantId, uri);
  const ref = connection ? { server: connection.def.name, originalTool: uri } : undefined;
  // A resource the caller may not read looks exactly like a missing one.
  if (!connection || ctx.access?.resourceDecision(uri, connection.def.name)) {
    auditAuthorization(ctx, method, uri, ref, "deny", connection ? "FORBIDDEN" : "NOT_FOUND");
    return { ok: false, upstreamError: { code: -32002, message: `resource not found: ${uri}` } };
  }
  auditAuthorization(ctx, method, uri, ref, "allow", "ALLOWED");
  const rule = method === "resources/read" && ctx.cache ? ctx.access?.resourceCacheRule(uri) : undefined;
  const read = () => forward(connection, method, { ...params }, ctx);
  const outcome = rule ? await cachedResourceOutcome(ctx, rule, uri, read) : await read();
  if (ctx.modern && method === "resources/read" && outcome.ok) {
    // A copy: the cached object itself never takes this caller's hints.
    if (rule && typeof outcome.result === "object" && outcome.result !== null) outcome.result = { ...outcome.result };
    addCacheHint(outcome.result);
  }
  return outcome;
}

async function cachedResourceOutcome(
  ctx: CallContext,
  rule: CacheRule,
  uri: string,
  run: () => Promise<HandlerOutcome>,
): Promise<HandlerOutcome> {
  try {
    const result = await cachedResourceRead(ctx.cache, rule, ctx, uri, async () => {
      const outcome = await run();
      if (!outcome.ok || typeof outcome.result !== "object" || outcome.result === null) throw new NotCached(outcome);
      return outcome.result as Record<string, unknown>;
    });
    return { ok: true, result };
  } catch (error) {
    if (error instanceof NotCached) return error.outcome;
    throw error;
  }
}

export async function complete(catalog: ToolCatalog, ctx: CallContext, params: Params): Promise<HandlerOutcome> {
  const ref = params?.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
  if (ref?.type === "ref/prompt" && typeof ref.name === "string") {
    const route = catalog.tenantView?.(ctx.tenantId).promptRoutes.get(ref.name);
    if (!route && unrestricted(ctx)) {
      const fallback = unprefixedUpstream(catalog, ctx.tenantId);
      if (fallback) return forward(fallback, "completion/complete", { ...params }, ctx);
    }
    if (!route || ctx.access?.promptDecision(ref.name, route.toolName, route.connection.def.name)) {
      return invalidParams(`unknown prompt '${ref.name}'`);
    }
    return forward(route.connection, "completion/complete", { ...params, ref: { ...ref, name: route.toolName } }, ctx);
  }
  if (ref?.type === "ref/resource" && typeof ref.uri === "string") {
    const connection = resourceOwner(catalog, ctx.tenantId, ref.uri);
    if (!connection || ctx.access?.resourceDecision(ref.uri, connection.def.name)) {
      return invalidParams(`unknown resource '${ref.uri}'`);
    }
    return forward(connection, "completion/complete", { ...params }, ctx);
  }
  return invalidParams("completion/complete needs params.ref of type ref/prompt or ref/resource");
}

/** logging/setLevel reaches every ready upstream of the tenant that logs. */
export async function setLogLevel(catalog: ToolCatalog, ctx: CallContext, params: Params): Promise<HandlerOutcome> {
  if (typeof params?.level !== "string") return invalidParams("logging/setLevel needs params.level");
  const targets = (catalog.upstreamsOf?.(ctx.tenantId) ?? []).filter(
    (c) => c.state === "ready" && c.serverCapabilities.logging !== undefined,
  );
  await Promise.allSettled(targets.map((c) => c.forward("logging/setLevel", { level: params.level })));
  return { ok: true, result: {} };
}

/** A list as this caller may see it: the policy's visibility applies to listing and calling alike. */
function visibleItems(catalog: ToolCatalog, ctx: CallContext, kind: ListKind): readonly Record<string, unknown>[] {
  const access = ctx.access;
  if (kind === "tools") {
    const tools = catalog.listTools(ctx.tenantId);
    if (!access || access.unrestricted) return tools;
    return access.visibleTools(tools, (tool) => toolFacts(tool, catalog.resolveTool(ctx.tenantId, String(tool.name))));
  }
  const view = catalog.tenantView?.(ctx.tenantId);
  if (!view) return [];
  const items = view[kind];
  if (!access || access.unrestricted) return items;
  if (kind === "prompts") {
    return items.filter((prompt) => {
      const route = view.promptRoutes.get(String(prompt.name));
      return (
        route !== undefined && !access.promptDecision(String(prompt.name), route.toolName, route.connection.def.name)
      );
    });
  }
  if (kind === "resources") {
    return items.filter((resource) => {
      const owner = view.resourceRoutes.get(String(resource.uri));
      return owner !== undefined && !access.resourceDecision(String(resource.uri), owner.def.name);
    });
  }
  // Templates: the read rules see the template as a URI (its uriTemplate, e.g. a `uri`
  // $regex on a path prefix); reading one's URIs is checked again per URI (resources/read).
  return items.filter((template) => {
    const uriTemplate = String(template.uriTemplate);
    const brace = uriTemplate.indexOf("{");
    const prefix = brace === -1 ? uriTemplate : uriTemplate.slice(0, brace);
    const owner = view.templateRoutes.find((route) => route.prefix === prefix)?.connection;
    return owner !== undefined && !access.resourceDecision(uriTemplate, owner.def.name);
  });
}

function resourceOwner(catalog: ToolCatalog, tenantId: string, uri: string): UpstreamConnection | undefined {
  const view = catalog.tenantView?.(tenantId);
  if (!view) return undefined;
  const exact = view.resourceRoutes.get(uri);
  if (exact) return exact;
  const template = view.templateRoutes.find((t) => t.prefix !== "" && uri.startsWith(t.prefix))?.connection;
  return template ?? unprefixedUpstream(catalog, tenantId);
}

async function forward(
  shared: UpstreamConnection,
  method: string,
  params: Record<string, unknown>,
  ctx: CallContext,
): Promise<HandlerOutcome> {
  // A stateful stdio upstream gives each legacy session its own process.
  const connection = shared.stateful && ctx.sessionId !== undefined ? shared.forSession(ctx.sessionId) : shared;
  let forwarded = params;
  const meta = params._meta as Record<string, unknown> | undefined;
  const clientToken = meta?.progressToken;
  const wantsProgress = clientToken !== undefined && ctx.emit !== undefined;
  if (meta !== undefined) {
    // The upstream gets the gateway's own progress token (see RpcPeer), never the client's,
    // and none of the client's 2026-07-28 envelope: the gateway holds its own upstream session.
    const rest: Record<string, unknown> = {};
    for (const key in meta) if (key !== "progressToken" && !ENVELOPE_KEYS.has(key)) rest[key] = meta[key];
    forwarded = { ...params };
    if (Object.keys(rest).length > 0) forwarded._meta = rest;
    else delete forwarded._meta;
  }
  const emit = ctx.emit;
  const exchange = connection.def.transport === "http" ? connection.def.tokenExchange : undefined;
  let authorization: string | undefined;
  if (exchange) {
    // A per-user upstream: the caller's access token is exchanged, never passed on.
    if (!ctx.subjectToken || !ctx.tokenExchange) {
      return upstreamCallFailure(
        connection,
        "needs a per-user token: authenticate with an access token (JWT) to call it (token exchange)",
      );
    }
    try {
      authorization = await ctx.tokenExchange.authorizationFor(exchange, ctx.subjectToken);
    } catch (error) {
      const reason = error instanceof TokenExchangeError ? error.message : "token exchange failed";
      return upstreamCallFailure(connection, reason);
    }
  }
  try {
    const reply: RpcReply = await connection.forward(method, forwarded, {
      cancellation: ctx.cancellation,
      timeoutMs: ctx.timeoutMs,
      authorization,
      progress: wantsProgress,
      // The call's context: an upstream request it causes (sampling…) is routed back to this client.
      requester: emit !== undefined || ctx.flow !== undefined || ctx.sessionId !== undefined ? ctx : undefined,
      onNotification:
        wantsProgress && emit
          ? (message) =>
              emit({
                jsonrpc: "2.0",
                method: "notifications/progress",
                params: { ...(message.params as Record<string, unknown>), progressToken: clientToken },
              })
          : undefined,
    });
    if ("error" in reply) return { ok: false, upstreamError: reply.error };
    return { ok: true, result: reply.result };
  } catch (error) {
    return upstreamFailure(connection, error);
  }
}

function addCacheHint(result: unknown): void {
  if (typeof result !== "object" || result === null) return;
  const r = result as Record<string, unknown>;
  if (r.ttlMs === undefined) r.ttlMs = CACHE_HINT.ttlMs;
  if (r.cacheScope === undefined) r.cacheScope = CACHE_HINT.cacheScope;
}

/** A call the gateway could not make on the caller's behalf (e.g. no exchangeable token). */
function upstreamCallFailure(connection: UpstreamConnection, reason: string): HandlerOutcome {
  return { ok: false, error: { code: "UPSTREAM_FAILED", message: `upstream '${connection.def.name}' ${reason}` } };
}

function upstreamFailure(connection: UpstreamConnection, error: unknown): HandlerOutcome {
  const upstream = connection.def.name;
  if (error instanceof UpstreamDownError) return unavailable(upstream, connection.state, connection.error);
  if (error instanceof UpstreamClosedError) return unavailable(upstream, "down", error.message);
  if (error instanceof UpstreamTimeoutError) {
    return { ok: false, error: { code: "UPSTREAM_FAILED", message: `upstream '${upstream}' timed out` } };
  }
  if (error instanceof RequestCancelledError) {
    return { ok: false, error: { code: "UPSTREAM_FAILED", message: `call cancelled: ${error.message}` } };
  }
  const reason = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { code: "UPSTREAM_FAILED", message: `upstream '${upstream}' failed: ${reason}` } };
}

function unavailable(upstream: string, state: string, reason: string | undefined): HandlerOutcome {
  return {
    ok: false,
    error: {
      code: "UPSTREAM_UNAVAILABLE",
      message: `upstream '${upstream}' is unavailable (${state})${reason ? `: ${reason}` : ""}`,
    },
  };
}

function unknownTool(name: string): HandlerOutcome {
  return invalidParams(`unknown tool '${name}': tools/list shows the tools this key can call`);
}

/** From 2025-11-25 (and in 2026-07-28) a tool execution error the model can act on; before, JSON-RPC -32602. */
function argumentError(ctx: CallContext, message: string): HandlerOutcome {
  if (ctx.protocolVersion !== undefined && ctx.protocolVersion >= "2025-11-25") {
    return { ok: true, result: { isError: true, content: [{ type: "text", text: message }] } };
  }
  return invalidParams(message);
}

function invalidParams(message: string): HandlerOutcome {
  return { ok: false, error: { code: "INVALID_PARAMS", message } };
}

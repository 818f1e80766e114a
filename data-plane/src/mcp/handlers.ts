import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { AuditSink } from "../audit/audit-shipper.ts";
import { auditAuthorization, auditCall } from "../audit/record-decisions.ts";
import { cachedCall, type ToolResultCache } from "../cache/cached-call.ts";
import type { Failure } from "../errors.ts";
import type { CallerAccess } from "../policy/caller-access.ts";
import { enforceToolCall } from "../policy/enforce-call.ts";
import { toolFacts } from "../policy/tool-facts.ts";
import type { UpstreamConnection } from "../upstreams/connection.ts";
import { UpstreamDownError } from "../upstreams/connection.ts";
import type { ToolRoute } from "../upstreams/manager.ts";
import { negotiateVersion, SERVER_INFO } from "./protocol.ts";

/** What the method handlers need from the upstream side; UpstreamManager implements it. */
export interface ToolCatalog {
  listTools(tenantId: string): readonly Record<string, unknown>[];
  resolveTool(tenantId: string, exposedName: string): ToolRoute | undefined;
  upstreamForToolName(tenantId: string, exposedName: string): UpstreamConnection | undefined;
}

export type CallContext = {
  tenantId: string;
  keyId: string;
  signal?: AbortSignal;
  /** What the caller's policies let it see and call (src/policy); absent = unrestricted. */
  access?: CallerAccess;
  /** The session's negotiated protocol version: decides how argument errors are reported. */
  protocolVersion?: string;
  /** Audit of authorization decisions and calls (src/audit); absent = not recorded. */
  audit?: AuditSink;
  clientAddress?: string;
  /** Results of tools the caller's policy marks cacheable (src/cache). */
  cache?: ToolResultCache;
};

export type HandlerOutcome =
  | { ok: true; result: unknown }
  | { ok: false; error: Failure }
  /** An upstream's own JSON-RPC error, passed through unchanged. */
  | { ok: false; upstreamError: { code: number; message: string; data?: unknown } };

type Params = Record<string, unknown> | undefined;

export function initializeResult(params: Params): { ok: true; result: unknown; version: string } | HandlerOutcome {
  if (!params || typeof params.protocolVersion !== "string") {
    return invalidParams("initialize needs params.protocolVersion (a string)");
  }
  const version = negotiateVersion(params.protocolVersion);
  return {
    ok: true,
    version,
    result: { protocolVersion: version, capabilities: { tools: { listChanged: false } }, serverInfo: SERVER_INFO },
  };
}

export function listTools(catalog: ToolCatalog, ctx: CallContext): HandlerOutcome {
  const tools = catalog.listTools(ctx.tenantId);
  if (!ctx.access || ctx.access.unrestricted) return { ok: true, result: { tools } };
  const visible = ctx.access.visibleTools(tools, (tool) =>
    toolFacts(tool, catalog.resolveTool(ctx.tenantId, String(tool.name))),
  );
  return { ok: true, result: { tools: visible } };
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
    auditAuthorization(ctx, "tools/call", name, undefined, "deny", "NOT_FOUND");
    return unknownTool(name);
  }
  const ref = { server: route.connection.def.name, originalTool: route.toolName };
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
  const started = performance.now();
  try {
    const forward = () => route.connection.callTool(route.toolName, args, forwardableMeta(params?._meta), ctx.signal);
    const cacheRule = verdict.facts ? ctx.access?.cacheRule(verdict.facts) : undefined;
    const result = await cachedCall(ctx.cache, cacheRule, ctx, name, args, forward);
    auditCall(
      ctx,
      name,
      ref,
      args,
      "allow",
      result.isError === true ? "TOOL_ERROR" : "OK",
      performance.now() - started,
    );
    return { ok: true, result };
  } catch (error) {
    auditCall(ctx, name, ref, args, "error", "UPSTREAM_ERROR", performance.now() - started);
    return upstreamFailure(route.connection, error);
  }
}

function upstreamFailure(connection: UpstreamConnection, error: unknown): HandlerOutcome {
  const upstream = connection.def.name;
  if (error instanceof UpstreamDownError) return unavailable(upstream, connection.state, connection.error);
  if (error instanceof McpError) {
    if (error.code === ErrorCode.ConnectionClosed) return unavailable(upstream, "down", "connection closed");
    if (error.code === ErrorCode.RequestTimeout) {
      return { ok: false, error: { code: "UPSTREAM_FAILED", message: `upstream '${upstream}' timed out` } };
    }
    const message = error.message.replace(/^MCP error -?\d+: /, "");
    const passed: { code: number; message: string; data?: unknown } = { code: error.code, message };
    if (error.data !== undefined) passed.data = error.data;
    return { ok: false, upstreamError: passed };
  }
  const reason = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { code: "UPSTREAM_FAILED", message: `upstream '${upstream}' failed: ${reason}` } };
}

/** The client's _meta minus progressToken: this gateway answers with JSON, not a progress stream. */
function forwardableMeta(meta: unknown): unknown {
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) return undefined;
  if (!("progressToken" in meta)) return meta;
  const { progressToken: _dropped, ...rest } = meta as Record<string, unknown>;
  return Object.keys(rest).length > 0 ? rest : undefined;
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

/** From 2025-11-25 a tool execution error the model can act on; before, JSON-RPC -32602. */
function argumentError(ctx: CallContext, message: string): HandlerOutcome {
  if (ctx.protocolVersion !== undefined && ctx.protocolVersion >= "2025-11-25") {
    return { ok: true, result: { isError: true, content: [{ type: "text", text: message }] } };
  }
  return invalidParams(message);
}

function invalidParams(message: string): HandlerOutcome {
  return { ok: false, error: { code: "INVALID_PARAMS", message } };
}

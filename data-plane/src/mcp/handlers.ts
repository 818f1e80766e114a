import type { Failure } from "../errors.ts";
import type { Cancellation } from "../upstreams/cancellation.ts";
import type { UpstreamConnection } from "../upstreams/connection.ts";
import { UpstreamDownError } from "../upstreams/connection.ts";
import type { ToolRoute } from "../upstreams/manager.ts";
import { RequestCancelledError, UpstreamClosedError, UpstreamTimeoutError } from "../upstreams/rpc-peer.ts";
import { negotiateVersion, SERVER_INFO } from "./protocol.ts";

/** What the method handlers need from the upstream side; UpstreamManager implements it. */
export interface ToolCatalog {
  listTools(tenantId: string): readonly Record<string, unknown>[];
  resolveTool(tenantId: string, exposedName: string): ToolRoute | undefined;
  upstreamForToolName(tenantId: string, exposedName: string): UpstreamConnection | undefined;
}

export type CallContext = { tenantId: string; keyId: string; cancellation?: Cancellation };

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
  return { ok: true, result: { tools: catalog.listTools(ctx.tenantId) } };
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
      return unavailable(upstream.def.name, upstream.state, upstream.error);
    }
    return invalidParams(`unknown tool '${name}': tools/list shows the tools this key can call`);
  }
  // Forward the client's params as they are, with only the name rewritten.
  const forwarded: Record<string, unknown> = { ...params, name: route.toolName };
  if (forwarded._meta !== undefined) {
    const meta = forwardableMeta(forwarded._meta);
    if (meta === undefined) delete forwarded._meta;
    else forwarded._meta = meta;
  }
  try {
    const reply = await route.connection.forward(
      "tools/call",
      forwarded,
      ctx.cancellation ? { cancellation: ctx.cancellation } : undefined,
    );
    if ("error" in reply) return { ok: false, upstreamError: reply.error };
    return { ok: true, result: reply.result };
  } catch (error) {
    return upstreamFailure(route.connection, error);
  }
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

function invalidParams(message: string): HandlerOutcome {
  return { ok: false, error: { code: "INVALID_PARAMS", message } };
}

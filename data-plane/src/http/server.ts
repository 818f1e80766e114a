import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type ServerOptions as TlsOptions } from "node:https";
import type { Failure } from "../errors.ts";
import type { Logger } from "../log/logger.ts";
import { type AdminDeps, getReady, getStatus, putSnapshot } from "./admin-routes.ts";
import { LegacySseRoutes } from "./legacy-sse-route.ts";
import { handleMcp, type McpRouteDeps } from "./mcp-route.ts";
import { hasQueryCredential, originOf } from "./request-info.ts";
import { sendFailure, sendJson } from "./respond.ts";

export type HttpDeps = Omit<AdminDeps, "log"> &
  Omit<McpRouteDeps, "log" | "resourceMetadataUrl"> & {
    log: Logger;
    fallbackHost: string;
    /** HTTPS (src/tls) when a certificate is configured; plain HTTP otherwise. */
    tls?: TlsOptions;
    /** RFC 9728 fields from the JWT settings (issuer, scopes); none = API keys only. */
    resourceMetadata?: () => { authorization_servers: string[]; scopes_supported?: string[] };
  };

export const RESOURCE_METADATA_PATH = "/.well-known/oauth-protected-resource";

const ALLOWED = new Map<string, "GET" | "PUT">([
  ["/healthz", "GET"],
  ["/readyz", "GET"],
  ["/_only1mcp/status", "GET"],
  ["/_only1mcp/snapshot", "PUT"],
  [RESOURCE_METADATA_PATH, "GET"],
]);

/** The node:http adapter: security headers, routing, and a last-resort 500 that never crashes the process. */
export function createHttpServer(deps: HttpDeps): Server {
  const origin = (req: IncomingMessage) => originOf(req, deps.fallbackHost, deps.tls !== undefined);
  const mcpDeps: McpRouteDeps = {
    endpoint: deps.endpoint,
    hub: deps.hub,
    verifier: deps.verifier,
    policies: deps.policies,
    guard: deps.guard,
    requiredScopes: deps.requiredScopes,
    cache: deps.cache,
    audit: deps.audit,
    requestLimits: deps.requestLimits,
    anonymous: deps.anonymous,
    tokenExchange: deps.tokenExchange,
    log: deps.log,
    resourceMetadataUrl: (req) => `${origin(req)}${RESOURCE_METADATA_PATH}`,
  };
  const legacySse = new LegacySseRoutes(mcpDeps);
  const adminDeps: AdminDeps = {
    state: deps.state,
    upstreams: deps.upstreams,
    log: deps.log,
    rateLimitStatus: deps.rateLimitStatus,
    auditStats: deps.auditStats,
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    if (q !== -1 && hasQueryCredential(url.slice(q + 1))) {
      return sendFailure(res, {
        code: "CREDENTIALS_IN_QUERY",
        message: "credentials in the query string are refused; use the Authorization header",
      });
    }
    const method = req.method ?? "";
    if (path === "/mcp") return handleMcp(req, res, mcpDeps);
    if (path === "/sse" && method === "GET") return legacySse.open(req, res);
    if (path === "/messages" && method === "POST") {
      return legacySse.post(req, res, new URLSearchParams(q === -1 ? "" : url.slice(q + 1)).get("sessionId"));
    }
    const allowed = ALLOWED.get(path);
    if (!allowed) return sendFailure(res, { code: "NOT_FOUND", message: `no route for ${path}` });
    if (method !== allowed && !(allowed === "GET" && method === "HEAD")) {
      return sendFailure(res, { code: "METHOD_NOT_ALLOWED", message: `use ${allowed}` }, { Allow: allowed });
    }
    switch (path) {
      case "/healthz":
        return sendJson(res, 200, { status: "ok" });
      case "/readyz":
        return getReady(res, adminDeps);
      case "/_only1mcp/status":
        return getStatus(res, adminDeps);
      case "/_only1mcp/snapshot":
        return putSnapshot(req, res, adminDeps);
      default:
        return sendJson(res, 200, {
          resource: `${origin(req)}/mcp`,
          bearer_methods_supported: ["header"],
          authorization_servers: [],
          ...deps.resourceMetadata?.(),
        });
    }
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    req.on("error", () => {});
    route(req, res).catch((error: unknown) => {
      deps.log.error("request failed", { path: (req.url ?? "").split("?")[0], error });
      if (!res.headersSent) sendFailure(res, internal());
      else res.destroy();
    });
  };
  const server: Server = deps.tls ? createHttpsServer(deps.tls, handler) : createServer(handler);
  // Slow clients: headers within 10 s, a whole request within 60 s (upstream time is bounded separately).
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });
  return server;
}

function internal(): Failure {
  return { code: "INTERNAL", message: "internal error" };
}

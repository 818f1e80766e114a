// How the bench speaks MCP to whatever it measures, with plain HTTP requests so
// that the client costs the same for every target. Two eras on the front:
// legacy (initialize, then one Mcp-Session-Id for every call) and the 2026-07-28
// stateless revision (no initialize, protocol version and method in headers).
import { request } from "undici";

export const LEGACY_VERSION = "2025-11-25";
export const STATELESS_VERSION = "2026-07-28";
export type Era = "legacy" | "stateless";

const ACCEPT = "application/json, text/event-stream";

/**
 * Where and how to call: the headers of every call and, in the stateless era, the
 * per-request `_meta` envelope (protocol version, client info and capabilities)
 * every request's params must carry.
 */
export type Front = { url: string; headers: Record<string, string>; tool: string; meta?: Record<string, unknown> };

/** The 2026-07-28 per-request envelope: the body names the version the headers repeat. */
export const STATELESS_META: Record<string, unknown> = {
  "io.modelcontextprotocol/protocolVersion": STATELESS_VERSION,
  "io.modelcontextprotocol/clientInfo": { name: "only1mcp-bench", version: "0.1.0" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

type Rpc = { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: unknown };

async function rpc(url: string, headers: Record<string, string>, body: unknown): Promise<Rpc> {
  const response = await request(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: ACCEPT, ...headers },
    body: JSON.stringify(body),
    headersTimeout: 15_000,
    bodyTimeout: 15_000,
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: parseReply(text) };
}

/** A JSON body, or the last `data:` line of an event stream. */
function parseReply(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return JSON.parse(trimmed);
  const data = trimmed
    .split("\n")
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).trim())
    .filter((line) => line.startsWith("{"));
  const last = data.at(-1);
  return last === undefined ? undefined : JSON.parse(last);
}

function resultOf(reply: Rpc, what: string): Record<string, unknown> {
  const message = reply.json as { result?: Record<string, unknown>; error?: { message?: string } } | undefined;
  if (reply.status !== 200 || !message?.result) {
    throw new Error(`${what}: HTTP ${reply.status} ${message?.error?.message ?? reply.text.slice(0, 160)}`);
  }
  return message.result;
}

/** Opens one legacy session (initialize + notifications/initialized) and finds the echo tool. */
export async function openLegacyFront(url: string, auth: Record<string, string> = {}): Promise<Front> {
  const init = await rpc(url, auth, {
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: {
      protocolVersion: LEGACY_VERSION,
      capabilities: {},
      clientInfo: { name: "only1mcp-bench", version: "0.1.0" },
    },
  });
  const result = resultOf(init, "initialize");
  const sessionHeader = init.headers["mcp-session-id"];
  const sessionId = Array.isArray(sessionHeader) ? sessionHeader[0] : sessionHeader;
  const version = typeof result.protocolVersion === "string" ? result.protocolVersion : LEGACY_VERSION;
  const headers: Record<string, string> = {
    ...auth,
    accept: ACCEPT,
    "mcp-protocol-version": version,
    ...(sessionId ? { "mcp-session-id": sessionId } : {}),
  };
  await rpc(url, headers, { jsonrpc: "2.0", method: "notifications/initialized" });
  return { url, headers, tool: await findEchoTool(url, headers) };
}

/**
 * The stateless era: every request stands alone. Throws (so the scenario is
 * skipped with the reason) when the server does not answer a stateless call.
 */
export async function openStatelessFront(url: string, auth: Record<string, string> = {}): Promise<Front> {
  const headers: Record<string, string> = { ...auth, accept: ACCEPT, "mcp-protocol-version": STATELESS_VERSION };
  const tool = await findEchoTool(url, { ...headers, "mcp-method": "tools/list" }, STATELESS_META);
  const probe = await rpc(
    url,
    { ...headers, "mcp-method": "tools/call", "mcp-name": tool },
    {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: tool, arguments: { message: "probe" }, _meta: STATELESS_META },
    },
  );
  resultOf(probe, "stateless tools/call");
  return { url, headers: { ...headers, "mcp-method": "tools/call", "mcp-name": tool }, tool, meta: STATELESS_META };
}

async function findEchoTool(
  url: string,
  headers: Record<string, string>,
  meta?: Record<string, unknown>,
): Promise<string> {
  const body = { jsonrpc: "2.0", id: 1, method: "tools/list", ...(meta ? { params: { _meta: meta } } : {}) };
  const listed = resultOf(await rpc(url, headers, body), "tools/list");
  const tools = Array.isArray(listed.tools) ? (listed.tools as { name?: unknown }[]) : [];
  const name = tools
    .map((t) => t.name)
    .find((n): n is string => typeof n === "string" && (n === "echo" || n.endsWith("__echo")));
  if (!name) throw new Error("tools/list has no echo tool");
  return name;
}

/** The body of call number i: tools/call on the echo tool (with the era's `_meta`, if any). */
export function toolsCallBody(tool: string, meta?: Record<string, unknown>): (i: number) => string {
  return (i) =>
    JSON.stringify({
      jsonrpc: "2.0",
      id: i + 1,
      method: "tools/call",
      params: { name: tool, arguments: { message: "hello from the bench" }, ...(meta ? { _meta: meta } : {}) },
    });
}

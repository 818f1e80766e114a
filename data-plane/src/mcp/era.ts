import type { Failure } from "../errors.ts";
import { MODERN_PROTOCOL_VERSIONS } from "./protocol.ts";

/** `_meta` keys of the 2026-07-28 per-request envelope. */
export const PROTOCOL_VERSION_META_KEY = "io.modelcontextprotocol/protocolVersion";
export const CLIENT_CAPABILITIES_META_KEY = "io.modelcontextprotocol/clientCapabilities";
export const CLIENT_INFO_META_KEY = "io.modelcontextprotocol/clientInfo";
export const SERVER_INFO_META_KEY = "io.modelcontextprotocol/serverInfo";

/** The MCP headers of one HTTP request, as the body must agree with them. */
export type McpHeaders = {
  sessionId?: string | undefined;
  protocolVersion?: string | undefined;
  method?: string | undefined;
  name?: string | undefined;
  /** The message came over the old HTTP+SSE transport, whose GET /sse already made the session. */
  sseTransport?: boolean;
};

export type Era =
  | { era: "modern"; version: string }
  | { era: "legacy" }
  | { era: "rejected"; failure: Failure; data?: Record<string, unknown> };

/** Which body field the Mcp-Name header mirrors, per method. */
const NAME_SOURCE: Record<string, string> = { "tools/call": "name", "prompts/get": "name", "resources/read": "uri" };

/**
 * Per-request era detection, body first (a proxy stripping a header must not
 * change the era): a request whose `_meta` names a protocol version of the
 * 2026-07-28 era is modern and stateless, and its MCP-Protocol-Version, Mcp-Method
 * and Mcp-Name headers must be present and agree with the body; anything else is
 * the initialize + session era.
 */
export function detectEra(
  headers: McpHeaders,
  message: { method: string; params: Record<string, unknown> | undefined },
): Era {
  const meta = message.params?._meta;
  const claimed =
    typeof meta === "object" && meta !== null
      ? (meta as Record<string, unknown>)[PROTOCOL_VERSION_META_KEY]
      : undefined;
  const headerVersion = headers.protocolVersion?.trim();
  const headerIsModern = headerVersion !== undefined && headerVersion >= "2026-07-28";
  if (claimed === undefined) {
    if (message.method === "initialize" && headerIsModern) {
      return mismatch(
        "an initialize request (legacy handshake) was sent with a modern MCP-Protocol-Version header",
        headerVersion,
        "initialize",
      );
    }
    if (headerIsModern) {
      return {
        era: "rejected",
        failure: {
          code: "INVALID_PARAMS_HTTP",
          message: `the MCP-Protocol-Version header names ${headerVersion}, but the request has no _meta["${PROTOCOL_VERSION_META_KEY}"]`,
        },
      };
    }
    return { era: "legacy" };
  }
  if (typeof claimed !== "string") {
    return {
      era: "rejected",
      failure: { code: "INVALID_PARAMS_HTTP", message: `_meta["${PROTOCOL_VERSION_META_KEY}"] must be a string` },
    };
  }
  if (!(MODERN_PROTOCOL_VERSIONS as readonly string[]).includes(claimed)) {
    if (claimed < "2026-07-28") return { era: "legacy" };
    return {
      era: "rejected",
      failure: { code: "UNSUPPORTED_PROTOCOL_VERSION", message: `protocol version ${claimed} is not supported` },
      data: { supported: [...MODERN_PROTOCOL_VERSIONS], requested: claimed },
    };
  }
  if (headerVersion === undefined)
    return mismatch(
      `the body names protocol version ${claimed} but MCP-Protocol-Version is absent`,
      "(missing)",
      claimed,
    );
  if (headerVersion !== claimed)
    return mismatch(
      `the body names protocol version ${claimed} but MCP-Protocol-Version names ${headerVersion}`,
      headerVersion,
      claimed,
    );
  const methodHeader = headers.method?.trim();
  if (methodHeader === undefined)
    return mismatch(`the body names method ${message.method} but Mcp-Method is absent`, "(missing)", message.method);
  if (methodHeader !== message.method)
    return mismatch(
      `the body names method ${message.method} but Mcp-Method names ${methodHeader}`,
      methodHeader,
      message.method,
    );
  const field = NAME_SOURCE[message.method];
  if (field) {
    const bodyValue = message.params?.[field];
    const nameHeader = headers.name?.trim();
    if (typeof bodyValue === "string") {
      if (nameHeader === undefined)
        return mismatch(
          `the body carries params.${field}="${bodyValue}" but Mcp-Name is absent`,
          "(missing)",
          bodyValue,
        );
      const decoded = decodeHeaderValue(nameHeader);
      if (decoded !== bodyValue)
        return mismatch(
          `the body carries params.${field}="${bodyValue}" but Mcp-Name names "${decoded ?? nameHeader}"`,
          nameHeader,
          bodyValue,
        );
    }
  }
  return { era: "modern", version: claimed };
}

function mismatch(message: string, header: string, body: string): Era {
  return {
    era: "rejected",
    failure: { code: "HEADER_MISMATCH", message: `the request headers and body disagree: ${message}` },
    data: { mismatch: { header, body } },
  };
}

/** Header values that are not plain ASCII travel as `=?base64?<b64>?=`. */
function decodeHeaderValue(value: string): string | undefined {
  if (!(value.startsWith("=?base64?") && value.endsWith("?="))) return value;
  const b64 = value.slice(9, -2);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
  return Buffer.from(b64, "base64").toString("utf8");
}

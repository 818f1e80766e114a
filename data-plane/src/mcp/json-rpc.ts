import type { Failure } from "../errors.ts";

export type RequestId = string | number;

export type IncomingMessage =
  | { kind: "request"; id: RequestId; method: string; params: Record<string, unknown> | undefined }
  | { kind: "notification"; method: string; params: Record<string, unknown> | undefined }
  /** A client's answer to a server request; this gateway sends none, so it is acknowledged and dropped. */
  | { kind: "response" }
  | { kind: "invalid"; id: RequestId | null; error: Failure };

export type OutgoingResponse =
  | { jsonrpc: "2.0"; id: RequestId; result: unknown }
  | { jsonrpc: "2.0"; id: RequestId | null; error: { code: number; message: string; data?: unknown } };

/** Classifies one parsed JSON value as a JSON-RPC 2.0 message; never throws. */
export function classifyMessage(value: unknown): IncomingMessage {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return invalid(null, "a JSON-RPC message must be an object");
  }
  const msg = value as Record<string, unknown>;
  const id = msg.id;
  const hasId = id !== undefined;
  const validId = typeof id === "string" || (typeof id === "number" && Number.isInteger(id));
  const idForError: RequestId | null = validId ? (id as RequestId) : null;
  if (msg.jsonrpc !== "2.0") return invalid(idForError, 'jsonrpc must be "2.0"');
  if (msg.method === undefined) {
    if (hasId && ("result" in msg || "error" in msg)) return { kind: "response" };
    return invalid(idForError, "method is required");
  }
  if (typeof msg.method !== "string" || msg.method.length === 0) {
    return invalid(idForError, "method must be a non-empty string");
  }
  const params = msg.params;
  if (params !== undefined && (typeof params !== "object" || params === null)) {
    return invalid(idForError, "params must be an object");
  }
  if (Array.isArray(params)) {
    return {
      kind: "invalid",
      id: idForError,
      error: { code: "INVALID_PARAMS", message: "params must be an object, not an array" },
    };
  }
  const objectParams = params as Record<string, unknown> | undefined;
  if (!hasId) return { kind: "notification", method: msg.method, params: objectParams };
  if (!validId) return invalid(null, "id must be a string or an integer");
  return { kind: "request", id: id as RequestId, method: msg.method, params: objectParams };
}

function invalid(id: RequestId | null, message: string): IncomingMessage {
  return { kind: "invalid", id, error: { code: "INVALID_REQUEST", message } };
}

import type { ServerResponse } from "node:http";
import { type Failure, httpErrorBody, httpStatusOf } from "../errors.ts";

/**
 * On every response the data plane writes. As one flat [name, value, …] list
 * handed to `writeHead`: Node then writes it as is, where seven `setHeader`
 * calls per request built (and the garbage collector swept) a header map each.
 */
const SECURITY_HEADERS: readonly string[] = [
  "X-Content-Type-Options",
  "nosniff",
  "X-Frame-Options",
  "DENY",
  "Content-Security-Policy",
  "default-src 'none'",
  "Referrer-Policy",
  "no-referrer",
  "Cache-Control",
  "no-store",
  // The seed's list: HSTS (ignored by browsers over plain HTTP, binding over HTTPS) and the legacy XSS header.
  "Strict-Transport-Security",
  "max-age=63072000; includeSubDomains; preload",
  "X-XSS-Protection",
  "1; mode=block",
];

/** Extra response headers; none may repeat a security header (they are always sent). */
export type ResponseHeaders = Record<string, string>;

/**
 * The one place a response head is written: status, the security headers, then
 * `extra` (flat name/value pairs) and `headers`. Every writer in this module
 * (JSON, empty, event stream) goes through it, so no response lacks them.
 */
function writeHead(res: ServerResponse, status: number, extra: (string | number)[], headers?: ResponseHeaders): void {
  const all: (string | number)[] = [...SECURITY_HEADERS, ...extra];
  if (headers) for (const name in headers) all.push(name, headers[name] as string);
  res.writeHead(status, all as string[]);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: ResponseHeaders): void {
  const text = JSON.stringify(body);
  writeHead(res, status, ["Content-Type", "application/json", "Content-Length", Buffer.byteLength(text)], headers);
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers?: ResponseHeaders): void {
  writeHead(res, status, [], headers);
  res.end();
}

/** 200 with an event stream's head, sent now (the stream's events follow with `res.write`). */
export function startEventStream(res: ServerResponse): void {
  writeHead(res, 200, ["Content-Type", "text/event-stream"]);
  res.flushHeaders();
}

/** The `{ code, message }` HTTP error envelope, status from the one error map. */
export function sendFailure(res: ServerResponse, failure: Failure, headers?: ResponseHeaders): void {
  sendJson(res, httpStatusOf(failure.code), httpErrorBody(failure), headers);
}

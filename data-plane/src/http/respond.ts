import type { ServerResponse } from "node:http";
import { type Failure, httpErrorBody, httpStatusOf } from "../errors.ts";

const SECURITY_HEADERS: ReadonlyArray<[string, string]> = [
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Content-Security-Policy", "default-src 'none'"],
  ["Referrer-Policy", "no-referrer"],
  ["Cache-Control", "no-store"],
  // The seed's list: HSTS (ignored by browsers over plain HTTP, binding over HTTPS) and the legacy XSS header.
  ["Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload"],
  ["X-XSS-Protection", "1; mode=block"],
];

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  if (headers) for (const name in headers) res.setHeader(name, headers[name] as string);
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers?: Record<string, string>): void {
  res.statusCode = status;
  if (headers) for (const name in headers) res.setHeader(name, headers[name] as string);
  res.end();
}

/** The `{ code, message }` HTTP error envelope, status from the one error map. */
export function sendFailure(res: ServerResponse, failure: Failure, headers?: Record<string, string>): void {
  sendJson(res, httpStatusOf(failure.code), httpErrorBody(failure), headers);
}

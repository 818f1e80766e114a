import type { IncomingMessage } from "node:http";

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The origin clients reach us on, from the Host header when it is well formed. */
export function originOf(req: IncomingMessage, fallbackHost: string, tls: boolean): string {
  const host = req.headers.host;
  return `${tls ? "https" : "http"}://${host && HOST.test(host) ? host : fallbackHost}`;
}

/** One header value: a repeated header counts as its first value. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const CREDENTIAL_PARAMS = new Set(["access_token", "api_key", "apikey", "key", "token", "authorization"]);

/** True when the query string carries something that looks like a credential. */
export function hasQueryCredential(search: string): boolean {
  if (!search) return false;
  for (const name of new URLSearchParams(search).keys()) if (CREDENTIAL_PARAMS.has(name.toLowerCase())) return true;
  return false;
}

/** Media type without parameters, lower-cased. */
export function mediaType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const semi = value.indexOf(";");
  return (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
}

/** Whether an Accept header admits JSON or an event stream (a missing header admits anything). */
export function acceptsMcpResponse(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === "") return true;
  for (const part of accept.split(",")) {
    const type = mediaType(part);
    if (
      type === "application/json" ||
      type === "text/event-stream" ||
      type === "*/*" ||
      type === "application/*" ||
      type === "text/*"
    ) {
      return true;
    }
  }
  return false;
}

/** Browsers send Origin; a cross-origin one is refused (DNS rebinding protection). */
export function isCrossOrigin(req: IncomingMessage): boolean {
  const origin = header(req, "origin");
  if (!origin || origin === "null") return origin === "null";
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

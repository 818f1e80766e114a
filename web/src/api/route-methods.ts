import { randomUUID } from "node:crypto";
import { ApiError, errorResponse } from "./errors.ts";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type Handler = (request: Request, context?: { params?: Promise<unknown> }) => Promise<Response> | Response;

/**
 * Every method of a route file: the handlers given, and for the others the error contract's
 * 405 envelope with an Allow header (Next would answer a bare 405 for a method a route file
 * does not export). Route files: `export const { GET, POST, PUT, PATCH, DELETE } = routeMethods({...})`.
 */
export function routeMethods(handlers: Partial<Record<HttpMethod, Handler>>): Record<HttpMethod, Handler> {
  const allowed = HTTP_METHODS.filter((method) => handlers[method] !== undefined);
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const notAllowed: Handler = (request) => {
    const response = errorResponse(
      new ApiError("METHOD_NOT_ALLOWED", `${request.method} is not allowed here; allowed: ${allowed.join(", ")}.`),
      `req_${randomUUID().replaceAll("-", "")}`,
    );
    response.headers.set("allow", allow);
    return response;
  };
  return Object.fromEntries(HTTP_METHODS.map((method) => [method, handlers[method] ?? notAllowed])) as Record<
    HttpMethod,
    Handler
  >;
}

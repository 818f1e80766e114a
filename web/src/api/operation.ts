import type { Actor, Outcome } from "@only1mcp/control-plane";
import type { z } from "zod";
import { ApiError } from "./errors.ts";
import type { AuthenticatedOperator, JsonValue, RouteSpec } from "./route.ts";

/**
 * An API operation: the route spec the builder runs plus what the OpenAPI document
 * says about it. Route files export `apiRoute(operation)`; openapi.ts reads the same
 * objects, so the document cannot drift from the code.
 */
export type OperationMeta = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** OpenAPI path template, e.g. /tenants/{tenantId}/api-keys. */
  path: string;
  summary: string;
  tag: string;
  /** Status of the success response (200 unless created). */
  status?: 200 | 201;
};

type AnySchema = z.ZodType;

export type Operation<QS extends AnySchema | undefined, BS extends AnySchema | undefined> = RouteSpec<QS, BS> &
  OperationMeta;

export function operation<QS extends AnySchema | undefined = undefined, BS extends AnySchema | undefined = undefined>(
  spec: Operation<QS, BS>,
): Operation<QS, BS> {
  return spec;
}

const STATUS_OF = {
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  INVALID: "INVALID_REQUEST",
  UNAVAILABLE: "UNAVAILABLE",
} as const;

/** A domain outcome's value, or its failure as the one API error for its code. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new ApiError(STATUS_OF[outcome.code], outcome.message);
}

/** Domain results hold Dates; the wire carries ISO strings. */
export function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

export function created(value: unknown): Response {
  return new Response(JSON.stringify(toJson(value)), {
    status: 201,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

export function actorOf(principal: AuthenticatedOperator): Actor {
  return { kind: "operator", operatorId: principal.operator.id };
}

/** The route param, which the builder already checked exists for tenant routes. */
export function param(params: Record<string, string | string[] | undefined>, name: string): string {
  const value = params[name];
  if (typeof value !== "string" || value.length === 0) throw new ApiError("NOT_FOUND", `Missing ${name}.`);
  return value;
}

/** The tenant of a /tenants/{tenantId}/… route (set by the builder after its ability check). */
export function tenantOf(tenantId: string | undefined): string {
  if (tenantId === undefined) throw new ApiError("NOT_FOUND", "Missing tenantId.");
  return tenantId;
}

import { sessionPrincipal, tokenPrincipal } from "../auth/session.ts";
import type { OperationMeta } from "./operation.ts";
import { createRouteBuilder, type RouteSpec } from "./route.ts";
import { type HttpMethod, routeMethods } from "./route-methods.ts";

/** The route builder every /api/v1 handler uses, wired to the console session and operator tokens. */
export const apiRoute = createRouteBuilder({
  authenticate: {
    bearer: tokenPrincipal,
    session: () => sessionPrincipal(),
  },
});

/** Any operation: each was type-checked against its own schemas where `operation()` built it. */
type AnyOperation = OperationMeta & { permission: unknown };

/**
 * A route file's handlers from catalog operations, one per method; every other method
 * answers the 405 JSON envelope. An operation filed under the wrong method is refused
 * when the module loads.
 */
export function apiRoutes(operations: Partial<Record<HttpMethod, AnyOperation>>) {
  const handlers: Partial<Record<HttpMethod, ReturnType<typeof apiRoute>>> = {};
  for (const [method, op] of Object.entries(operations) as [HttpMethod, AnyOperation][]) {
    if (op.method !== method) throw new Error(`${op.method} ${op.path} is filed under ${method}`);
    handlers[method] = apiRoute(op as unknown as RouteSpec<undefined, undefined>);
  }
  return routeMethods(handlers);
}

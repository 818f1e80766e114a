import type { ZodType } from "zod";
import type { DataPlaneProcess } from "../../control-plane/src/testing/data-plane-process.ts";
import { postStateless } from "../../data-plane/src/testing/stateless-request.ts";
import type { Operation } from "../src/api/operation.ts";
import { createRouteBuilder } from "../src/api/route.ts";
import { tokenPrincipal } from "../src/auth/session.ts";

/** Integration tests' client: console API operations by bearer token, raw MCP to a data plane. */

const route = createRouteBuilder({ authenticate: { bearer: tokenPrincipal, session: async () => null } });

/** Calls an operation through the same route builder the Next route files use. */
export async function call<QS extends ZodType | undefined, BS extends ZodType | undefined>(
  op: Operation<QS, BS>,
  token: string,
  input: { params?: Record<string, string>; body?: unknown } = {},
) {
  const params = input.params ?? {};
  const url = `http://localhost/api/v1${op.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "")}`;
  const request = new Request(url, {
    method: op.method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
  });
  const response = await route(op)(request, { params: Promise.resolve(params) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

export type RpcAnswer = {
  result?: { tools?: { name: string }[]; isError?: boolean; content?: unknown };
  error?: { code: number; data?: Record<string, unknown> };
};

/** One stateless (2026-07-28) MCP request to the data plane: one POST, one rate-limit point. */
export async function mcp(plane: DataPlaneProcess, key: string, method: string, params: Record<string, unknown> = {}) {
  const response = await postStateless(plane.url, key, method, params);
  return { status: response.status, headers: response.headers, body: (await response.json()) as RpcAnswer };
}

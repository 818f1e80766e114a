import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError } from "./errors.ts";
import type { Permission } from "./permissions.ts";
import { type AuthenticatedOperator, createRouteBuilder, type RouteAuthenticator } from "./route.ts";

const viewer: AuthenticatedOperator = {
  operator: { id: "op_1", email: "admin@example.com", name: "Admin" },
  roles: [{ tenantId: null, role: "viewer" }],
  via: "token",
};

function builder(overrides: Partial<RouteAuthenticator> = {}) {
  const authenticate: RouteAuthenticator = {
    bearer: vi.fn(async (token: string) => (token === "good-token" ? viewer : null)),
    session: vi.fn(async () => null),
    ...overrides,
  };
  const logError = vi.fn();
  const route = createRouteBuilder({ authenticate, requestId: () => "req_test", logError });
  return { route, authenticate, logError };
}

function get(url = "http://localhost/api/v1/x", headers: Record<string, string> = {}) {
  return new Request(url, { headers });
}

async function body(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

describe("route builder: authentication", () => {
  it("answers 401 with the envelope and WWW-Authenticate when there is no credential", async () => {
    const { route } = builder();
    const handler = vi.fn(() => ({ ok: true }));
    const response = await route({ permission: "snapshot:read", handler })(get());
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await body(response)).toMatchObject({ code: "UNAUTHENTICATED", requestId: "req_test" });
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers 401 for an unknown, expired or revoked bearer token", async () => {
    const { route } = builder();
    const handler = vi.fn(() => ({ ok: true }));
    const response = await route({ permission: "snapshot:read", handler })(
      get(undefined, { authorization: "Bearer bad-token" }),
    );
    expect(response.status).toBe(401);
    expect(await body(response)).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers 401 for a non-Bearer Authorization header and does not fall back to the session", async () => {
    const session = vi.fn(async () => viewer);
    const { route } = builder({ session });
    const response = await route({ permission: "snapshot:read", handler: () => ({ ok: true }) })(
      get(undefined, { authorization: "Basic YTpi" }),
    );
    expect(response.status).toBe(401);
    expect(session).not.toHaveBeenCalled();
  });

  it("serves a valid bearer token and a valid session", async () => {
    const { route } = builder({ session: async () => ({ ...viewer, via: "session" }) });
    const handler = route({ permission: "snapshot:read", handler: ({ principal }) => ({ via: principal.via }) });
    const byToken = await handler(get(undefined, { authorization: "Bearer good-token" }));
    expect(byToken.status).toBe(200);
    expect(byToken.headers.get("x-request-id")).toBe("req_test");
    expect(await body(byToken)).toEqual({ via: "token" });
    const bySession = await handler(get());
    expect(await body(bySession)).toEqual({ via: "session" });
  });

  it("refuses a cross-origin state change authenticated only by the session cookie", async () => {
    const { route } = builder({ session: async () => ({ ...viewer, via: "session" }) });
    const handler = route({ permission: "snapshot:read", handler: () => ({ ok: true }) });
    const response = await handler(
      new Request("http://localhost:3000/api/v1/x", {
        method: "POST",
        headers: { host: "localhost:3000", origin: "https://evil.example" },
      }),
    );
    expect(response.status).toBe(403);
  });
});

describe("route builder: authorisation fails closed", () => {
  it("refuses a route that declares no permission, even for a valid operator", async () => {
    const { route } = builder();
    const handler = vi.fn(() => ({ ok: true }));
    const spec = { handler } as unknown as Parameters<typeof route>[0];
    const response = await route(spec)(get(undefined, { authorization: "Bearer good-token" }));
    expect(response.status).toBe(403);
    expect(await body(response)).toMatchObject({ code: "ROUTE_NOT_AUTHORISED" });
    expect(handler).not.toHaveBeenCalled();
  });

  it("refuses a route whose permission is not a known one", async () => {
    const { route } = builder();
    const handler = vi.fn(() => ({ ok: true }));
    const response = await route({ permission: "snapshot:raed" as Permission, handler })(
      get(undefined, { authorization: "Bearer good-token" }),
    );
    expect(response.status).toBe(403);
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers 403 when the operator's roles lack the permission", async () => {
    const { route } = builder();
    const handler = vi.fn(() => ({ ok: true }));
    const response = await route({ permission: "snapshot:publish", handler })(
      get(undefined, { authorization: "Bearer good-token" }),
    );
    expect(response.status).toBe(403);
    expect(await body(response)).toMatchObject({ code: "FORBIDDEN" });
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers 403 to an operator with no role at all", async () => {
    const { route } = builder({ bearer: async () => ({ ...viewer, roles: [] }) });
    const response = await route({ permission: "snapshot:read", handler: () => ({ ok: true }) })(
      get(undefined, { authorization: "Bearer good-token" }),
    );
    expect(response.status).toBe(403);
  });
});

describe("route builder: parsing and error mapping", () => {
  const auth = { authorization: "Bearer good-token" };

  it("parses the query with zod and answers 400 with issues when it is invalid", async () => {
    const { route } = builder();
    const handler = route({
      permission: "snapshot:read",
      query: z.object({ limit: z.coerce.number().int().min(1).max(100) }),
      handler: ({ query }) => ({ limit: query.limit }),
    });
    const ok = await handler(get("http://localhost/x?limit=5", auth));
    expect(await body(ok)).toEqual({ limit: 5 });
    const bad = await handler(get("http://localhost/x?limit=0", auth));
    expect(bad.status).toBe(400);
    expect(await body(bad)).toMatchObject({ code: "INVALID_REQUEST", details: [{ path: "limit" }] });
  });

  it("parses a JSON body: 415 for other media types, 400 for malformed JSON, 413 when too large", async () => {
    const { route } = builder();
    const handler = route({
      permission: "snapshot:read",
      body: z.object({ name: z.string().min(1) }),
      maxBodyBytes: 64,
      handler: ({ body: input }) => ({ name: input.name }),
    });
    const post = (text: string, type = "application/json") =>
      new Request("http://localhost/x", { method: "POST", headers: { ...auth, "content-type": type }, body: text });
    expect((await handler(post('{"name":"a"}'))).status).toBe(200);
    expect((await handler(post('{"name":"a"}', "text/plain"))).status).toBe(415);
    expect((await handler(post("{not json"))).status).toBe(400);
    expect((await handler(post('{"name":""}'))).status).toBe(400);
    expect((await handler(post(JSON.stringify({ name: "x".repeat(100) })))).status).toBe(413);
  });

  it("maps a typed ApiError to its status and envelope", async () => {
    const { route } = builder();
    const response = await route({
      permission: "snapshot:read",
      handler: () => {
        throw new ApiError("NOT_FOUND", "No snapshot has been published yet.");
      },
    })(get(undefined, auth));
    expect(response.status).toBe(404);
    expect(await body(response)).toEqual({
      code: "NOT_FOUND",
      message: "No snapshot has been published yet.",
      requestId: "req_test",
    });
  });

  it("maps an unexpected failure to a 500 without leaking its message, and logs it", async () => {
    const { route, logError } = builder();
    const response = await route({
      permission: "snapshot:read",
      handler: () => {
        throw new Error("connection string postgres://secret@db");
      },
    })(get(undefined, auth));
    expect(response.status).toBe(500);
    const json = await body(response);
    expect(json).toMatchObject({ code: "INTERNAL", requestId: "req_test" });
    expect(JSON.stringify(json)).not.toContain("secret");
    expect(logError).toHaveBeenCalledOnce();
  });

  it("maps the database being unreachable (Prisma P1001, also as a cause) to 503 UNAVAILABLE", async () => {
    const { route, logError } = builder();
    const unreachable = Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: "P1001" });
    for (const thrown of [unreachable, new Error("wrapped", { cause: unreachable })]) {
      const response = await route({
        permission: "snapshot:read",
        handler: () => {
          throw thrown;
        },
      })(get(undefined, auth));
      expect(response.status).toBe(503);
      expect(await body(response)).toMatchObject({ code: "UNAVAILABLE", requestId: "req_test" });
    }
    expect(logError).toHaveBeenCalledTimes(2);
  });

  it("passes a handler's own Response through", async () => {
    const { route } = builder();
    const response = await route({
      permission: "snapshot:read",
      handler: () => new Response("plain", { status: 202 }),
    })(get(undefined, auth));
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("plain");
  });
});

describe("route builder: the tenant comes from the path and is checked with the shared abilities", () => {
  const tenantAdmin: AuthenticatedOperator = {
    operator: { id: "op_2", email: "a@example.com", name: "A" },
    roles: [{ tenantId: "ten_A", role: "admin" }],
    via: "token",
  };
  const auth = { authorization: "Bearer good-token" };
  const params = (tenantId: string) => ({ params: Promise.resolve({ tenantId }) });

  it("answers 400 for a path parameter with a NUL or control character, or too long, before the handler (found by fuzzing)", async () => {
    const { route } = builder();
    const handler = vi.fn(() => ({ ok: true }));
    for (const keyId of ["\u0000", "a\u0000b", "x\ny", "k".repeat(201)]) {
      const response = await route({ permission: "snapshot:read", handler })(get(undefined, auth), {
        params: Promise.resolve({ tenantId: "ten_A", keyId }),
      });
      expect(response.status).toBe(400);
      expect(await body(response)).toMatchObject({
        code: "INVALID_REQUEST",
        message: "Invalid path parameter 'keyId'.",
      });
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it("allows the permission on the operator's tenant and refuses it on another, with a readable reason", async () => {
    const { route } = builder({ bearer: async () => tenantAdmin });
    const handler = vi.fn(({ tenantId }: { tenantId: string | undefined }) => ({ tenantId: tenantId ?? null }));
    const created = route({ permission: "apiKey:create", handler });
    const mine = await created(get(undefined, auth), params("ten_A"));
    expect(await body(mine)).toEqual({ tenantId: "ten_A" });
    const other = await created(get(undefined, auth), params("ten_B"));
    expect(other.status).toBe(403);
    expect(await body(other)).toMatchObject({
      code: "FORBIDDEN",
      message: "Forbidden: you hold no role in tenant ten_B.",
    });
    expect(handler).toHaveBeenCalledOnce();
  });

  it("refuses a change to a read-only token whatever its operator's role", async () => {
    const { route } = builder({ bearer: async () => ({ ...tenantAdmin, readOnly: true }) });
    const handler = vi.fn(() => ({ ok: true }));
    const response = await route({ permission: "policy:update", handler })(get(undefined, auth), params("ten_A"));
    expect(response.status).toBe(403);
    expect(handler).not.toHaveBeenCalled();
    const read = await route({ permission: "policy:read", handler })(get(undefined, auth), params("ten_A"));
    expect(read.status).toBe(200);
  });
});

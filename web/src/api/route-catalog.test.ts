import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OPERATIONS, OPERATIONS_BY_NAME } from "./catalog.ts";
import { isPermission } from "./permissions.ts";
import { HTTP_METHODS, routeMethods } from "./route-methods.ts";

// Fail closed, proven on the files themselves: every route file under app/api/v1 serves only
// catalog operations (so each is in the OpenAPI document and the role matrix, with a declared
// permission), through apiRoutes (so every other method answers the 405 JSON envelope).
const API_DIR = path.resolve(import.meta.dirname, "..", "..", "app", "api", "v1");

/** Route files that serve no operator: each says why, and still answers every method itself. */
const NOT_OPERATOR_ROUTES: Record<string, string> = {
  "[...path]": "any unclaimed /api/v1 path: the 404 envelope for every method",
  "fleet/heartbeat": "data planes, authenticated by the node token (fleetRoute)",
  "fleet/audit": "data planes, authenticated by the node token (fleetRoute)",
};

function routeFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory())
      return routeFiles(path.join(dir, entry.name), prefix ? `${prefix}/${entry.name}` : entry.name);
    return entry.name === "route.ts" ? [prefix] : [];
  });
}

const files = routeFiles(API_DIR);
const ALL_METHODS_EXPORT = "export const { GET, POST, PUT, PATCH, DELETE } = ";

describe("every /api/v1 route file is a catalog operation with a declared permission", () => {
  it("finds the route files", () => {
    expect(files.length).toBeGreaterThan(30);
    for (const exempt of Object.keys(NOT_OPERATOR_ROUTES)) expect(files).toContain(exempt);
  });

  for (const file of files) {
    const source = readFileSync(path.join(API_DIR, file, "route.ts"), "utf8");
    if (file in NOT_OPERATOR_ROUTES) {
      it(`${file}: not an operator route (${NOT_OPERATOR_ROUTES[file]}), answers every method`, () => {
        if (file === "[...path]")
          for (const method of HTTP_METHODS) expect(source).toContain(`export const ${method} =`);
        else expect(source).toContain(`${ALL_METHODS_EXPORT}routeMethods(`);
      });
      continue;
    }
    it(`${file}: serves only catalog operations, through apiRoutes`, () => {
      expect(source).toContain(`${ALL_METHODS_EXPORT}apiRoutes(`);
      // No handler built any other way (an inline spec would escape the catalog).
      expect(source).not.toMatch(/\bapiRoute\(/);
      expect(source.match(/export const (GET|POST|PUT|PATCH|DELETE)\b/g) ?? []).toEqual([]);
      const call = source.slice(source.indexOf("apiRoutes(")).replace(/\s+/g, " ");
      const entries = [...call.matchAll(/\b(GET|POST|PUT|PATCH|DELETE): (\w+)/g)];
      expect(entries.length).toBeGreaterThan(0);
      const routePath = `/${file.replace(/\[(\w+)\]/g, "{$1}")}`;
      for (const [, method, name] of entries) {
        const op = OPERATIONS_BY_NAME.get(name ?? "");
        expect(op, `${name} is not in the catalog`).toBeDefined();
        expect(`${op?.method} ${op?.path}`).toBe(`${method} ${routePath}`);
        expect(isPermission(op?.permission), `${method} ${routePath} declares no known permission`).toBe(true);
      }
    });
  }

  it("routes every catalog operation from exactly one file", () => {
    const routed = files.flatMap((file) => {
      const source = readFileSync(path.join(API_DIR, file, "route.ts"), "utf8");
      return [...source.matchAll(/\b(?:GET|POST|PUT|PATCH|DELETE): (\w+)/g)].map((match) => match[1]);
    });
    for (const [name, op] of OPERATIONS_BY_NAME)
      expect(
        routed.filter((routedName) => routedName === name),
        `${op.method} ${op.path}`,
      ).toHaveLength(1);
    expect(new Set(OPERATIONS.map((op) => `${op.method} ${op.path}`)).size).toBe(OPERATIONS.length);
  });
});

describe("routeMethods: a method the route does not serve", () => {
  const ok = () => Response.json({ ok: true });
  const noContent = () => new Response(null, { status: 204 });
  const methods = routeMethods({ GET: ok, POST: noContent });

  it("answers the JSON error envelope 405 with an Allow header", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"] as const) {
      const response = await methods[method](new Request("http://localhost/api/v1/x", { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(response.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
      const body = (await response.json()) as { code: string; message: string; requestId: string };
      expect(body).toMatchObject({ code: "METHOD_NOT_ALLOWED", requestId: expect.stringMatching(/^req_/) });
      expect(body.message).toContain(method);
    }
  });

  it("leaves the methods it serves alone", async () => {
    expect((await methods.GET(new Request("http://localhost/api/v1/x"))).status).toBe(200);
    expect((await methods.POST(new Request("http://localhost/api/v1/x", { method: "POST" }))).status).toBe(204);
  });
});

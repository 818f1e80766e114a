import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../api/catalog.ts";
import { buildOpenApiDocument } from "./openapi-document.ts";

describe("OpenAPI document", () => {
  const doc = buildOpenApiDocument("http://localhost:3000");

  it("is OpenAPI 3.1 with one entry per operation and the permission each requires", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0]?.url).toBe("http://localhost:3000/api/v1");
    for (const op of OPERATIONS) {
      const entry = doc.paths[op.path]?.[op.method.toLowerCase()] as Record<string, unknown> | undefined;
      expect(entry, `${op.method} ${op.path}`).toBeDefined();
      expect(entry?.["x-permission"]).toBe(op.permission);
    }
  });

  it("derives request bodies from the same zod schemas the routes validate with", () => {
    const post = doc.paths["/tenants/{tenantId}/api-keys"]?.post as {
      requestBody: {
        content: { "application/json": { schema: { properties: Record<string, unknown>; required?: string[] } } };
      };
      parameters: Array<{ name: string; in: string }>;
    };
    const schema = post.requestBody.content["application/json"].schema;
    expect(Object.keys(schema.properties).sort()).toEqual(["expiresInDays", "name", "roles"]);
    expect(schema.required).toContain("name");
    expect(post.parameters).toContainEqual(expect.objectContaining({ name: "tenantId", in: "path" }));
    const list = doc.paths["/tenants/{tenantId}/api-keys"]?.get as { parameters: Array<{ name: string; in: string }> };
    expect(list.parameters.map((p) => p.name)).toEqual(["tenantId", "cursor", "limit"]);
  });

  it("never takes the tenant from a body: no request body has a tenantId property", () => {
    for (const op of OPERATIONS) {
      // Two bodies name a tenant as a scope to narrow to, never as authority: an operator token's
      // tenant binding, and a report's evidence scope (checked with report:generate on that tenant).
      if (!op.body || op.path === "/operator-tokens" || op.path === "/reports") continue;
      const text = JSON.stringify(doc.paths[op.path]?.[op.method.toLowerCase()]);
      expect(text, `${op.method} ${op.path}`).not.toContain('"tenantId":{');
    }
  });
});

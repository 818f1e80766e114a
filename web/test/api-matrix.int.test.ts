import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as cp from "@only1mcp/control-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../control-plane/src/testing/postgres-test-database.ts";
import { OPERATIONS } from "../src/api/catalog.ts";
import type { Operation } from "../src/api/operation.ts";
import { createRouteBuilder } from "../src/api/route.ts";
import { tokenPrincipal } from "../src/auth/session.ts";

// Every role against every endpoint, through the real route builder, real operator
// tokens and the real control plane on Postgres. Expected cells are written out here,
// independent of the abilities module: a rule or a route's declared permission that
// drifts makes a cell fail.
type Role = "owner" | "admin" | "auditor" | "viewer";
const ALLOWED: Record<string, Role[]> = {
  "GET /tenants": ["owner", "admin", "auditor", "viewer"],
  "POST /tenants": [],
  "GET /tenants/{tenantId}": ["owner", "admin", "auditor", "viewer"],
  "PATCH /tenants/{tenantId}": ["owner", "admin"],
  "DELETE /tenants/{tenantId}": ["owner"],
  "PUT /tenants/{tenantId}/audit-retention": ["owner", "admin"],
  "GET /tenants/{tenantId}/members": ["owner", "admin", "auditor", "viewer"],
  "POST /tenants/{tenantId}/members": ["owner"],
  "PATCH /tenants/{tenantId}/members/{memberId}": ["owner"],
  "DELETE /tenants/{tenantId}/members/{memberId}": ["owner"],
  "GET /tenants/{tenantId}/api-keys": ["owner", "admin", "auditor", "viewer"],
  "POST /tenants/{tenantId}/api-keys": ["owner", "admin"],
  "POST /tenants/{tenantId}/api-keys/{keyId}/rotate": ["owner", "admin"],
  "POST /tenants/{tenantId}/api-keys/{keyId}/revoke": ["owner", "admin"],
  "GET /tenants/{tenantId}/policies": ["owner", "admin", "auditor", "viewer"],
  "POST /tenants/{tenantId}/policies": ["owner", "admin"],
  "PATCH /tenants/{tenantId}/policies/{policyId}": ["owner", "admin"],
  "DELETE /tenants/{tenantId}/policies/{policyId}": ["owner", "admin"],
  "POST /tenants/{tenantId}/policies/{policyId}/diff": ["owner", "admin", "auditor", "viewer"],
  "POST /tenants/{tenantId}/policies/dry-run": ["owner", "admin", "auditor"],
  "GET /tenants/{tenantId}/upstreams": ["owner", "admin", "auditor", "viewer"],
  "POST /tenants/{tenantId}/upstreams": ["owner", "admin"],
  "POST /tenants/{tenantId}/upstreams/test": ["owner", "admin"],
  "PATCH /tenants/{tenantId}/upstreams/{upstreamId}": ["owner", "admin"],
  "DELETE /tenants/{tenantId}/upstreams/{upstreamId}": ["owner", "admin"],
  "POST /tenants/{tenantId}/upstreams/{upstreamId}/test": ["owner", "admin"],
  "GET /tenants/{tenantId}/secrets": ["owner", "admin", "auditor", "viewer"],
  "POST /tenants/{tenantId}/secrets": ["owner", "admin"],
  "GET /operator-tokens": ["owner", "admin", "auditor", "viewer"],
  "POST /operator-tokens": ["owner", "admin", "auditor", "viewer"],
  "DELETE /operator-tokens/{tokenId}": ["owner", "admin", "auditor", "viewer"],
  "POST /session/sign-out-everywhere": ["owner", "admin", "auditor", "viewer"],
  "GET /reports": ["owner", "admin", "auditor"],
  "POST /reports": ["owner", "admin", "auditor"],
  "GET /reports/{id}": ["owner", "admin", "auditor"],
  "GET /reports/{id}/download": ["owner", "admin", "auditor"],
  "GET /audit/events": ["owner", "admin", "auditor"],
  "GET /audit/export": ["owner", "admin", "auditor"],
  "GET /audit/verify": ["owner", "admin", "auditor"],
  "GET /nodes": ["owner", "admin", "auditor", "viewer"],
  "GET /jobs/{id}": ["owner", "admin", "auditor", "viewer"],
  // Publishing is per-tenant admin work; reading the signed snapshot needs a global role.
  "GET /snapshots": [],
  "POST /snapshots": ["owner", "admin"],
  "GET /snapshots/current": [],
  "POST /snapshots/rollouts": ["owner", "admin"],
  "POST /snapshots/rollouts/{version}/promote": ["owner", "admin"],
  "POST /snapshots/rollouts/{version}/rollback": ["owner", "admin"],
  "POST /snapshots/restore": ["owner", "admin"],
  "POST /snapshots/rollback": ["owner", "admin"],
  // GDPR on operators is organisation-wide: an owner of every tenant (global role) only.
  "GET /operators/{id}/personal-data": [],
  "DELETE /operators/{id}/personal-data": [],
  // Global settings: roles on one tenant never read or change them.
  "GET /security-settings": [],
  "PUT /security-settings": [],
  // Signing keys are fleet-wide: a global role only.
  "GET /snapshots/signing-keys": [],
  "POST /snapshots/signing-keys": [],
  "POST /snapshots/signing-keys/activate": [],
  "GET /openapi.json": ["owner", "admin", "auditor", "viewer"],
};
/** Statuses an allowed call may answer besides 200/201/202/404 (the matrix uses ids that do not exist). */
const ALSO_FINE: Record<string, number[]> = {
  "POST /snapshots/rollouts": [400],
  "POST /snapshots/rollback": [409],
};
// Roles in this order so the owner's tenant deletion runs last.
const ROLES: Role[] = ["viewer", "auditor", "admin", "owner"];

const bodies: Record<string, (role: string) => unknown> = {
  "POST /tenants": (role) => ({ slug: `t-${role}`, name: `T ${role}` }),
  "PATCH /tenants/{tenantId}": (role) => ({ name: `Renamed by ${role}` }),
  "PUT /tenants/{tenantId}/audit-retention": () => ({ days: 30 }),
  "POST /tenants/{tenantId}/members": (role) => ({ email: `new-${role}@example.com`, role: "viewer" }),
  "PATCH /tenants/{tenantId}/members/{memberId}": () => ({ role: "viewer" }),
  "POST /tenants/{tenantId}/api-keys": (role) => ({ name: `key by ${role}` }),
  "POST /tenants/{tenantId}/api-keys/{keyId}/rotate": () => ({ overlapSeconds: 60 }),
  "POST /tenants/{tenantId}/policies": (role) => ({ name: `policy-${role}`, rules: { tools: { deny: ["x"] } } }),
  "PATCH /tenants/{tenantId}/policies/{policyId}": () => ({ rules: { tools: { deny: [] } } }),
  "POST /tenants/{tenantId}/policies/{policyId}/diff": () => ({}),
  "POST /tenants/{tenantId}/policies/dry-run": () => ({ days: 7, rules: { tools: { deny: ["x"] } } }),
  "POST /tenants/{tenantId}/upstreams": (role) => ({
    name: `up-${role}`,
    config: { transport: "http", url: "http://127.0.0.1:9/mcp" },
  }),
  "POST /tenants/{tenantId}/upstreams/test": () => ({ config: { transport: "http", url: "http://127.0.0.1:9/mcp" } }),
  "PATCH /tenants/{tenantId}/upstreams/{upstreamId}": () => ({ enabled: false }),
  "POST /operator-tokens": (role) => ({ name: `token by ${role}`, expiresInDays: 1 }),
  "PUT /security-settings": () => ({ security: { rate_limiting: { per_client_limit: 5 } } }),
  "POST /reports": () => ({ framework: "soc2", tenantId: tenantA, periodDays: 7 }),
  "POST /snapshots": () => ({}),
  "POST /snapshots/rollouts": () => ({ nodeIds: ["dp_missing"] }),
  "POST /snapshots/restore": () => ({ fromVersion: 999 }),
  "POST /snapshots/rollback": () => ({ toVersion: 999 }),
  "POST /tenants/{tenantId}/secrets": (role) => ({ name: `token-${role}`, value: `planted-secret-by-${role}` }),
};

const route = createRouteBuilder({ authenticate: { bearer: tokenPrincipal, session: async () => null } });
const key = (op: { method: string; path: string }) => `${op.method} ${op.path}`;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let tenantA: string;
let tenantDelete: string;
const tokens = new Map<string, string>();

async function call(op: Operation<never, never>, token: string | null, tenantId: string, role: string) {
  const params: Record<string, string> = op.path.includes("{tenantId}") ? { tenantId } : {};
  for (const match of op.path.matchAll(/\{(\w+)\}/g))
    if (match[1] !== "tenantId") params[match[1] ?? ""] = match[1] === "version" ? "999" : "x_missing";
  const url = `http://localhost/api/v1${op.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "")}`;
  const makeBody = bodies[key(op)];
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const request = new Request(url, {
    method: op.method,
    headers,
    ...(op.body ? { body: JSON.stringify(makeBody ? makeBody(role) : {}) } : {}),
  });
  return route(op)(request, { params: Promise.resolve(params) });
}

beforeAll(async () => {
  database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), "only1mcp-matrix-"));
  await cp.startControlPlane({
    ...process.env,
    DATABASE_URL: database.url,
    ONLY1MCP_DATA_DIR: dataDir,
    ONLY1MCP_DATA_PLANE_URLS: "",
  });
  const { db } = cp.getControlPlane();
  const system = { kind: "system" as const, name: "matrix" };
  tenantA = (await cp.createTenant(db, { slug: "acme", name: "Acme" }, system)).id;
  tenantDelete = (await cp.createTenant(db, { slug: "doomed", name: "Doomed" }, system)).id;
  const other = await cp.createTenant(db, { slug: "other", name: "Other" }, system);
  for (const role of ROLES) {
    const operator = await cp.createOperator(
      db,
      { email: `${role}@example.com`, name: role, role, tenantId: tenantA },
      system,
    );
    await db.membership.create({
      data: { id: `mem_del_${role}`, operatorId: operator.id, tenantId: tenantDelete, role },
    });
    tokens.set(role, (await cp.issueOperatorToken(db, { operatorId: operator.id, name: role }, system)).token);
  }
  const outsider = await cp.createOperator(
    db,
    { email: "outsider@example.com", name: "Outsider", role: "owner", tenantId: other.id },
    system,
  );
  tokens.set("outsider", (await cp.issueOperatorToken(db, { operatorId: outsider.id, name: "o" }, system)).token);
});

afterAll(async () => {
  await cp.stopControlPlane();
  await database?.drop();
});

describe("API: every role against every endpoint", () => {
  it("documents every operation in the expected matrix, and routes each one", () => {
    expect(OPERATIONS.map(key).sort()).toEqual(Object.keys(ALLOWED).sort());
    const appDir = path.resolve(import.meta.dirname, "..", "app", "api", "v1");
    for (const op of OPERATIONS) {
      const file = path.join(appDir, op.path.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
      expect(existsSync(file), file).toBe(true);
      expect(readFileSync(file, "utf8")).toMatch(new RegExp(`apiRoutes\\(\\{[^}]*\\b${op.method}: \\w+`));
    }
  });

  const ordered = [...OPERATIONS].sort(
    (a, b) =>
      Number(a.method === "DELETE" && a.path === "/tenants/{tenantId}") -
      Number(b.method === "DELETE" && b.path === "/tenants/{tenantId}"),
  );
  for (const op of ordered) {
    it(`${key(op)}: ${ALLOWED[key(op)]?.join(", ") || "no tenant role"} allowed, others 403`, async () => {
      const target = key(op) === "DELETE /tenants/{tenantId}" ? tenantDelete : tenantA;
      for (const role of ROLES) {
        const response = await call(op, tokens.get(role) ?? "", target, role);
        const allowed = ALLOWED[key(op)]?.includes(role) ?? false;
        const body = await response.text();
        if (allowed)
          expect([200, 201, 202, 404, ...(ALSO_FINE[key(op)] ?? [])], `${role}: ${body}`).toContain(response.status);
        else {
          expect(response.status, `${role}: ${body}`).toBe(403);
          expect(JSON.parse(body)).toMatchObject({ code: "FORBIDDEN" });
        }
      }
      // No credential: 401. A role in another tenant only: 403 on tenant routes.
      expect((await call(op, null, target, "anon")).status).toBe(401);
      if (op.path.startsWith("/tenants/{tenantId}")) {
        expect((await call(op, tokens.get("outsider") ?? "", target, "outsider")).status).toBe(403);
      }
    });
  }
});

describe("reports: each report is checked against the permission on its own tenant", () => {
  it("an auditor of one tenant and viewer of another reads and downloads only the first tenant's report", async () => {
    const { db } = cp.getControlPlane();
    const system = { kind: "system" as const, name: "matrix" };
    const [audited, viewed] = [
      (await cp.createTenant(db, { slug: "audited", name: "Audited" }, system)).id,
      (await cp.createTenant(db, { slug: "viewed", name: "Viewed" }, system)).id,
    ];
    const mixed = await cp.createOperator(
      db,
      { email: "mixed@example.com", name: "Mixed", role: "auditor", tenantId: audited },
      system,
    );
    await db.membership.create({
      data: { id: "mem_mixed_viewer", operatorId: mixed.id, tenantId: viewed, role: "viewer" },
    });
    const token = (await cp.issueOperatorToken(db, { operatorId: mixed.id, name: "mixed" }, system)).token;
    const csv = Buffer.from("control,status\nCC6.1,ok\n");
    for (const [id, tenantId] of [
      ["rep_audited", audited],
      ["rep_viewed", viewed],
      ["rep_global", null],
    ] as const)
      await db.report.create({
        data: {
          id,
          framework: "soc2",
          tenantId,
          status: "completed",
          progress: 100,
          csv,
          sha256: { csv: "0".repeat(64) },
        },
      });
    const byName = (name: string) =>
      OPERATIONS.find((op) => `${op.method} ${op.path}` === name) as Operation<never, never>;
    const get = async (name: string, id: string, query = "") =>
      route(byName(name))(
        new Request(`http://localhost/api/v1/reports/${id}${name.endsWith("download") ? "/download" : ""}${query}`, {
          headers: { authorization: `Bearer ${token}` },
        }),
        { params: Promise.resolve({ id }) },
      );
    expect((await get("GET /reports/{id}", "rep_audited")).status).toBe(200);
    expect((await get("GET /reports/{id}/download", "rep_audited", "?format=csv")).status).toBe(200);
    // The viewer role on the second tenant holds no report permission: as if the report did not exist.
    for (const id of ["rep_viewed", "rep_global"]) {
      const status = await get("GET /reports/{id}", id);
      expect(status.status).toBe(404);
      expect(await status.json()).toMatchObject({ code: "NOT_FOUND" });
      expect((await get("GET /reports/{id}/download", id, "?format=csv")).status).toBe(404);
    }
    // And it may not generate one on that tenant, nor on every tenant.
    for (const tenantId of [viewed, null]) {
      const response = await route(byName("POST /reports"))(
        new Request("http://localhost/api/v1/reports", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ framework: "soc2", tenantId }),
        }),
        { params: Promise.resolve({}) },
      );
      expect(response.status).toBe(403);
    }
  });
});

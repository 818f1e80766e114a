import { readFileSync } from "node:fs";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import fc from "fast-check";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingServerCommand } from "../../../control-plane/src/demo/seed-demo.ts";
import { issueApiKey } from "../../../control-plane/src/keys/issue-api-key.ts";
import { createPolicy } from "../../../control-plane/src/policies/create-policy.ts";
import { ensureSecretsKey } from "../../../control-plane/src/secrets/secrets-key.ts";
import { ensureSigningKey } from "../../../control-plane/src/signing/signing-key.ts";
import { publishSnapshot } from "../../../control-plane/src/snapshots/publish-snapshot.ts";
import { createTenant } from "../../../control-plane/src/tenants/create-tenant.ts";
import { createTestDatabase } from "../../../control-plane/src/testing/postgres-test-database.ts";
import { createUpstream } from "../../../control-plane/src/upstreams/create-upstream.ts";
import { launchChromium } from "../browser.ts";
import { type RunningStack, startStack } from "../stack.ts";
import { recordFigures } from "./harness/figures.ts";
import { planeStatus, waitFor } from "./harness/signed-plane.ts";

const XSS = {
  tenant: `<script>window.__xss=1;alert("tenant")</script>`,
  key: `"><img src=x onerror="window.__xss=2;alert('key')">`,
  keyToo: `<svg onload=alert(3)></svg>`,
};
const PLANTED_UPSTREAM_TOKEN = "planted-upstream-token-6d1f0c2b9a7e4f5d";
const actor = { kind: "system", name: "chaos-seed" } as const;

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

// One Postgres-backed `npm start` stack (its own database on the shared server),
// seeded with hostile names through the control plane's own functions.
describe("console and API under hostile input (npm start stack on Postgres)", () => {
  let database: TestDatabase;
  let stack: RunningStack;
  let browser: Browser | undefined;
  const errorBodies: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startStack({ webPort: 3348, dataPlanePort: 8418, env: { DATABASE_URL: database.url } });
    const { db } = database;
    const tenant = await createTenant(db, { slug: "hostile", name: XSS.tenant }, actor);
    await issueApiKey(db, { tenantId: tenant.id, name: XSS.key }, actor);
    await issueApiKey(db, { tenantId: tenant.id, name: XSS.keyToo }, actor);
    const { command, args } = everythingServerCommand();
    await createUpstream(
      db,
      {
        tenantId: tenant.id,
        name: "tokened",
        config: { transport: "stdio", command, args, env: { UPSTREAM_TOKEN: PLANTED_UPSTREAM_TOKEN } },
      },
      actor,
    );
    const signingKey = await ensureSigningKey(stack.dataDir, {});
    // The stack's own secrets key (same data dir): upstream env values are sealed with it.
    const published = await publishSnapshot(db, signingKey, actor, { secretsKey: ensureSecretsKey(stack.dataDir) });
    // The running control plane's reconciler pushes it to the data plane.
    await waitFor(
      async () => {
        const status = await planeStatus(stack.dataPlaneUrl);
        return status.snapshotVersion === published.version ? true : undefined;
      },
      "the hostile snapshot to reach the data plane",
      60_000,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await database?.drop();
  });

  it("refuses markup in upstream names at the control plane's edge", async () => {
    const tenant = await database.db.tenant.findFirstOrThrow({ where: { slug: "hostile" } });
    await expect(
      createUpstream(
        database.db,
        {
          tenantId: tenant.id,
          name: "<script>alert(1)</script>",
          config: { transport: "stdio", command: "x", args: [], env: {} },
        },
        actor,
      ),
    ).rejects.toThrow();
    expect(await database.db.upstreamServer.count({ where: { name: { contains: "<" } } })).toBe(0);
  });

  it("renders every operator-set name escaped: no dialog, no injected element, the raw text shown", async () => {
    browser = await launchChromium();
    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${stack.demo.consoleUrl}/login`);
    await page.fill('input[name="email"]', stack.demo.adminEmail);
    await page.fill('input[name="password"]', stack.demo.adminPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${stack.demo.consoleUrl}/`);
    await page.waitForLoadState("networkidle");
    const text = (await page.textContent("body")) ?? "";
    for (const payload of Object.values(XSS)) expect(text).toContain(payload);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.locator("svg[onload]").count()).toBe(0);

    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name.endsWith("next-auth.session-token"));
    expect(session).toBeDefined();
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    recordFigures({
      "payloads rendered as text": Object.keys(XSS).length,
      dialogs: dialogs.length,
      "session cookie": `HttpOnly=${session?.httpOnly}; SameSite=${session?.sameSite}; Secure=${session?.secure} (Secure only behind https)`,
    });
  });

  it("replaces a planted (fixated) session cookie on sign-in and ignores a forged one", async () => {
    const context = await (browser ?? (await launchChromium())).newContext();
    const url = new URL(stack.demo.consoleUrl);
    await context.addCookies([
      { name: "next-auth.session-token", value: "attacker-chosen", domain: url.hostname, path: "/" },
    ]);
    const page = await context.newPage();
    await page.goto(`${stack.demo.consoleUrl}/`);
    await page.waitForURL(/\/login/);
    await page.fill('input[name="email"]', stack.demo.adminEmail);
    await page.fill('input[name="password"]', stack.demo.adminPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${stack.demo.consoleUrl}/`);
    const session = (await context.cookies()).find((cookie) => cookie.name === "next-auth.session-token");
    expect(session?.value).toBeDefined();
    expect(session?.value).not.toBe("attacker-chosen");
    await context.close();
  });

  it("refuses a credentials sign-in without the CSRF token", async () => {
    const response = await fetch(`${stack.demo.consoleUrl}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: stack.demo.adminEmail, password: stack.demo.adminPassword, json: "true" }),
      redirect: "manual",
    });
    expect(response.headers.getSetCookie().some((cookie) => cookie.includes("session-token="))).toBe(false);
  });

  it("sends anti-clickjacking headers on every console page and API response", async () => {
    const token = { authorization: `Bearer ${stack.demo.adminToken}` };
    const targets: Array<[string, Record<string, string>]> = [
      ["/login", {}],
      ["/", {}],
      ["/does-not-exist", {}],
      ["/api/v1/snapshots/current", {}],
      ["/api/v1/snapshots/current", token],
      ["/api/v1/nothing-here", token],
      ["/api/auth/session", {}],
      ["/api/auth/csrf", {}],
      ["/api/auth/providers", {}],
    ];
    for (const [route, headers] of targets) {
      const response = await fetch(`${stack.demo.consoleUrl}${route}`, { headers, redirect: "manual" });
      expect(response.headers.get("x-frame-options"), route).toBe("DENY");
      expect(response.headers.get("content-security-policy") ?? "", route).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options"), route).toBe("nosniff");
    }
    recordFigures({ "responses checked": targets.length, "X-Frame-Options": "DENY", "CSP frame-ancestors": "'none'" });
  });

  it("answers random bodies, methods and credentials on /api/v1 with a 4xx (never 5xx) and the JSON envelope", async () => {
    const statuses: Record<number, number> = {};
    let emptyMethodNotAllowed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"),
          route: fc.constantFrom("/api/v1/snapshots/current", "/api/v1/snapshots/current?x=1", "/api/v1/tenants"),
          auth: fc.constantFrom("token", "none", "garbage", "operator-like"),
          contentType: fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded"),
          body: fc.oneof(
            fc.jsonValue().map((v) => JSON.stringify(v)),
            fc.string({ maxLength: 200 }),
          ),
        }),
        async (r) => {
          const headers: Record<string, string> = { "content-type": r.contentType };
          if (r.auth === "token") headers.authorization = `Bearer ${stack.demo.adminToken}`;
          if (r.auth === "garbage")
            headers.authorization = `Bearer ${r.body.replace(/[^\x21-\x7e]/g, "").slice(0, 40) || "x"}`;
          if (r.auth === "operator-like")
            headers.authorization = "Bearer o1t_AAAAAAAAAAAA_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
          const response = await fetch(`${stack.demo.consoleUrl}${r.route}`, {
            method: r.method,
            headers,
            body: r.method === "GET" ? undefined : r.body,
            redirect: "manual",
          });
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          const text = await response.text();
          expect(response.status, `${r.method} ${r.route}`).toBeLessThan(500);
          if (response.status === 405 && text === "") {
            // Finding, not fixed here: Next answers a method the route file does not export
            // with an empty 405 (no envelope, no Allow header). Counted in the figures.
            emptyMethodNotAllowed += 1;
            return;
          }
          if (response.status >= 400) {
            errorBodies.push(text);
            expect(response.headers.get("content-type") ?? "", `${r.method} ${r.route} ${response.status}`).toMatch(
              /^application\/json/,
            );
            expect(JSON.parse(text)).toMatchObject({ code: expect.any(String), message: expect.any(String) });
          }
        },
      ),
      { numRuns: Number(process.env.CHAOS_FUZZ_RUNS ?? 150) },
    );
    recordFigures({
      "statuses seen": JSON.stringify(statuses),
      "405 with an empty body (Next's method dispatch; finding)": emptyMethodNotAllowed,
    });
  });

  it("refuses cross-origin state changes made with the session cookie (CSRF) and changes nothing", async () => {
    const context = await (browser ?? (await launchChromium())).newContext();
    const page = await context.newPage();
    await page.goto(`${stack.demo.consoleUrl}/login`);
    await page.fill('input[name="email"]', stack.demo.adminEmail);
    await page.fill('input[name="password"]', stack.demo.adminPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${stack.demo.consoleUrl}/`);
    const cookie = (await context.cookies())
      .filter((c) => c.name.includes("next-auth"))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
    await context.close();
    const before = await database.db.tenant.count();
    const attempt = (origin: string | undefined, slug: string) =>
      fetch(`${stack.demo.consoleUrl}/api/v1/tenants`, {
        method: "POST",
        headers: {
          cookie,
          "content-type": "application/json",
          ...(origin === undefined ? {} : { origin }),
        },
        body: JSON.stringify({ slug, name: "CSRF attempt" }),
        redirect: "manual",
      });
    const refused: number[] = [];
    for (const [origin, slug] of [
      ["https://evil.example", "csrf-evil"],
      ["null", "csrf-null"],
      [undefined, "csrf-no-origin"],
      [`${stack.demo.consoleUrl}.evil.example`, "csrf-suffix"],
    ] as const) {
      const response = await attempt(origin, slug);
      refused.push(response.status);
      const body = (await response.json()) as { code: string; message: string };
      expect(response.status, String(origin)).toBe(403);
      expect(body).toMatchObject({ code: "FORBIDDEN", message: "Cross-origin request refused." });
    }
    expect(await database.db.tenant.count()).toBe(before);
    // The same request from the console's own origin goes through: the check is not a blanket refusal.
    const sameOrigin = await attempt(new URL(stack.demo.consoleUrl).origin, "csrf-same-origin");
    expect(sameOrigin.status).toBe(201);
    expect(await database.db.tenant.count()).toBe(before + 1);
    recordFigures({
      "cross-origin session POSTs refused": `${refused.length} (${refused.join(", ")})`,
      "same-origin session POST": sameOrigin.status,
      "tenants created by refused requests": 0,
    });
  });

  it("renders hostile text in policies, upstream settings and the audit log escaped on every tenant page", async () => {
    const tenant = await database.db.tenant.findFirstOrThrow({ where: { slug: "hostile" } });
    const planted = {
      reason: `<img src=x onerror="window.__xss=4;alert('reason')">`,
      arg: `</script><script>window.__xss=5;alert("arg")</script>`,
      envName: `<svg/onload=alert(6)>`,
    };
    const policy = await createPolicy(
      database.db,
      {
        tenantId: tenant.id,
        name: "hostile-reasons",
        rules: { rules: [{ action: "call", subject: "Tool", inverted: true, reason: planted.reason }] },
      },
      actor,
    );
    expect(policy.ok).toBe(true);
    await createUpstream(
      database.db,
      {
        tenantId: tenant.id,
        name: "argful",
        config: { transport: "stdio", command: "/usr/bin/true", args: [planted.arg], env: { SAFE: planted.envName } },
      },
      actor,
    );
    const context = await (browser ?? (await launchChromium())).newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${stack.demo.consoleUrl}/login`);
    await page.fill('input[name="email"]', stack.demo.adminEmail);
    await page.fill('input[name="password"]', stack.demo.adminPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${stack.demo.consoleUrl}/`);
    const pages = ["", "/policies", "/upstreams", "/keys", "/members"].map((p) => `/tenants/${tenant.id}${p}`);
    pages.push("/tenants", "/audit", "/data-planes", "/reports");
    const shown: Record<string, number> = {};
    for (const route of pages) {
      const response = await page.goto(`${stack.demo.consoleUrl}${route}`);
      expect(response?.status(), route).toBeLessThan(500);
      await page.waitForLoadState("networkidle");
      const html = await page.content();
      const text = (await page.textContent("body")) ?? "";
      shown[route] = Object.values({ ...planted, ...XSS }).filter((payload) => text.includes(payload)).length;
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), route).toBeUndefined();
      expect(await page.locator('img[src="x"]').count(), route).toBe(0);
      expect(await page.locator("svg[onload]").count(), route).toBe(0);
      expect(html, route).not.toContain('<img src="x" onerror=');
    }
    expect(dialogs).toEqual([]);
    // The payloads are shown as text somewhere (proof the pages render them at all).
    expect(shown[`/tenants/${tenant.id}/policies`]).toBeGreaterThan(0);
    expect(shown[`/tenants/${tenant.id}/upstreams`]).toBeGreaterThan(0);
    await context.close();
    recordFigures({
      "pages rendered": pages.length,
      "payloads shown as text per page": JSON.stringify(shown),
      dialogs: dialogs.length,
    });
  });

  it("fuzzes every route of /api/v1/openapi.json with fast-check bodies: never a 5xx, always the JSON error envelope", async () => {
    const token = { authorization: `Bearer ${stack.demo.adminToken}` };
    const documentResponse = await fetch(`${stack.demo.consoleUrl}/api/v1/openapi.json`, { headers: token });
    expect(documentResponse.status).toBe(200);
    const document = (await documentResponse.json()) as { paths: Record<string, Record<string, unknown>> };
    // Its own tenant, so DELETE and PATCH with a real id harm nothing the other cases use.
    const fuzzTenant = await createTenant(database.db, { slug: "rest-fuzz", name: "REST fuzz" }, actor);
    const operations = Object.entries(document.paths).flatMap(([route, methods]) =>
      Object.keys(methods)
        .filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))
        .map((method) => ({ route, method: method.toUpperCase() })),
    );
    expect(operations.length).toBeGreaterThan(10);
    const runsPerOperation = Number(process.env.CHAOS_REST_RUNS ?? 12);
    const statuses: Record<number, number> = {};
    const failures: string[] = [];
    let requests = 0;
    const idValue = fc.oneof(
      fc.constant(fuzzTenant.id),
      fc.string({ minLength: 1, maxLength: 30 }).map((v) => encodeURIComponent(v)),
      fc.constantFrom("..%2F..%2Fetc%2Fpasswd", "%00", "ten_doesnotexist", "1e309", "-1"),
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc
        .dictionary(
          fc.constantFrom("name", "slug", "rules", "role", "email", "config", "expiresAt", "format", "kind"),
          fc.jsonValue({ maxDepth: 3 }),
        )
        .map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 300 }),
      fc.constant('{"a":'.repeat(200)),
    );
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(
          idValue,
          body,
          fc.constantFrom("application/json", "text/plain"),
          async (id, payload, type) => {
            const url = `${stack.demo.consoleUrl}/api/v1${operation.route.replace(/^\/api\/v1/, "").replace(/\{[^}]+\}/g, (m) => (m === "{tenantId}" ? fuzzTenant.id : id))}`;
            const hasBody = operation.method !== "GET" && operation.method !== "DELETE";
            const response = await fetch(url, {
              method: operation.method,
              headers: { ...token, "content-type": type },
              body: hasBody ? payload : undefined,
              redirect: "manual",
              signal: AbortSignal.timeout(30_000),
            });
            requests += 1;
            statuses[response.status] = (statuses[response.status] ?? 0) + 1;
            const text = await response.text();
            const where = `${operation.method} ${operation.route} (${response.status})`;
            if (response.status >= 500) failures.push(`${where}: ${text.slice(0, 200)}`);
            expect(response.status, where).toBeLessThan(500);
            if (response.status >= 400) {
              errorBodies.push(text);
              expect(response.headers.get("content-type") ?? "", where).toMatch(/^application\/json/);
              expect(JSON.parse(text), where).toMatchObject({
                code: expect.any(String),
                message: expect.any(String),
                requestId: expect.any(String),
              });
            }
          },
        ),
        { numRuns: runsPerOperation },
      );
    }
    // Still alive and answering after the storm.
    expect((await fetch(`${stack.demo.consoleUrl}/api/v1/tenants`, { headers: token })).status).toBe(200);
    recordFigures({
      "operations in the OpenAPI document": operations.length,
      "requests sent": requests,
      "statuses seen": JSON.stringify(statuses),
      "5xx": failures.length,
    });
  });

  it("never shows a planted secret in logs, audit records, error bodies, metrics or snapshots", async () => {
    const { apiKey, adminPassword, adminToken } = stack.demo;
    const wrongKey = `${apiKey.slice(0, -6)}ZZZZZZ`;
    const wrongPassword = `${adminPassword}-wrong`;
    // Use the stack: MCP calls, a wrong key, an operator token, a wrong token, a failed sign-in.
    const client = new Client({ name: "secrets", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(stack.demo.mcpUrl), {
        requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
      }),
    );
    await client.callTool({ name: "everything__echo", arguments: { message: "hi" } });
    await client.close();
    const mcpError = await fetch(stack.demo.mcpUrl, {
      method: "POST",
      headers: { authorization: `Bearer ${wrongKey}`, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    errorBodies.push(await mcpError.text());
    errorBodies.push(await (await fetch(`${stack.demo.mcpUrl}?api_key=${apiKey}`, { method: "POST" })).text());
    const ok = await fetch(`${stack.demo.consoleUrl}/api/v1/snapshots/current`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const { jws } = (await ok.json()) as { jws: string };
    const badToken = await fetch(`${stack.demo.consoleUrl}/api/v1/snapshots/current`, {
      headers: { authorization: `Bearer ${adminToken.slice(0, -4)}AAAA` },
    });
    errorBodies.push(await badToken.text());
    const csrf = (await (await fetch(`${stack.demo.consoleUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
    const failedLogin = await fetch(`${stack.demo.consoleUrl}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: stack.demo.adminEmail, password: wrongPassword, csrfToken: csrf.csrfToken }),
      redirect: "manual",
    });
    errorBodies.push(await failedLogin.text());

    const metrics = await fetch(`${stack.dataPlaneUrl}/metrics`);
    const metricsText = metrics.status === 200 ? await metrics.text() : "";
    const snapshotPayload = Buffer.from(jws.split(".")[1] ?? "", "base64url").toString();
    const lastKnownGood = readFileSync(path.join(stack.dataDir, "data-plane", "last-known-good.jws"), "utf8");
    const lkgPayload = Buffer.from(lastKnownGood.split(".")[1] ?? "", "base64url").toString();
    const audit = JSON.stringify(await database.db.auditEvent.findMany());
    // npm start's banner prints the demo credentials on purpose (DESIGN.md contract): every other line is a log.
    const banner = /^(Only1MCP is running|\s+(Console|MCP|API token|Demo credentials)\s)/;
    const logs = stack
      .output()
      .split("\n")
      .filter((line) => !banner.test(line))
      .join("\n");

    const secrets = {
      "demo API key": apiKey,
      "API key secret part": apiKey.split("_").slice(2).join("_"),
      "wrong API key": wrongKey,
      "admin password": adminPassword,
      "wrong password": wrongPassword,
      "operator token": adminToken,
      "operator token secret part": adminToken.split("_").slice(2).join("_"),
      "upstream token": PLANTED_UPSTREAM_TOKEN,
    };
    const places: Record<string, string> = {
      logs,
      "audit records": audit,
      "error bodies": errorBodies.join("\n"),
      metrics: metricsText,
      "signed snapshot payload": snapshotPayload,
      "last-known-good on disk": lkgPayload,
    };
    const leaks: string[] = [];
    for (const [secretName, secret] of Object.entries(secrets)) {
      for (const [placeName, text] of Object.entries(places)) {
        if (!text.includes(secret)) continue;
        // Upstream env values are sealed for the fleet (issue 5): in clear anywhere is a leak.
        leaks.push(`${secretName} in ${placeName}`);
      }
    }
    recordFigures({
      "secrets x places checked": `${Object.keys(secrets).length} x ${Object.keys(places).length}`,
      "log lines scanned": logs.split("\n").length,
      "audit records scanned": await database.db.auditEvent.count(),
      "/metrics": metrics.status === 200 ? "present, scanned" : `absent (${metrics.status})`,
      leaks: leaks.length === 0 ? "none" : leaks.join(", "),
    });
    expect(leaks).toEqual([]);
  });
});

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The web process as the launcher runs it: web/server.mjs on a free port with its own
// PGlite data dir. Needs `next build` (web/.next) and control-plane/dist.
const webDir = path.resolve(import.meta.dirname, "..");
const repoRoot = path.resolve(webDir, "..");

type Demo = { adminEmail: string; adminPassword: string; adminToken: string; apiKey: string };

let child: ChildProcess;
let base: string;
let dataDir: string;
let demo: Demo;
let output = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  for (const required of ["web/.next/BUILD_ID", "control-plane/dist/index.js"]) {
    if (!existsSync(path.join(repoRoot, required))) throw new Error(`${required} is missing: run npm run build first`);
  }
  const port = await freePort();
  base = `http://localhost:${port}`;
  dataDir = mkdtempSync(path.join(tmpdir(), "only1mcp-web-"));
  child = spawn(process.execPath, [path.join(webDir, "server.mjs")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      WEB_PORT: String(port),
      ONLY1MCP_DATA_DIR: dataDir,
      ONLY1MCP_DATA_PLANE_URLS: "",
      NEXTAUTH_URL: base,
      NEXTAUTH_SECRET: "integration-test-secret-0123456789abcdef",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 110_000;
  while (!output.includes("console listening")) {
    if (child.exitCode !== null) throw new Error(`server.mjs exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`server.mjs did not start:\n${output}`);
    await sleep(250);
  }
  demo = JSON.parse(readFileSync(path.join(dataDir, "demo.json"), "utf8")) as Demo;
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Cookie jar of one: enough for the next-auth credentials flow. */
function cookieHeader(response: Response, jar: Map<string, string>): string {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const index = pair?.indexOf("=") ?? -1;
    if (pair && index > 0) jar.set(pair.slice(0, index), pair.slice(index + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}

describe("web server", () => {
  it("serves /login with the security headers and no X-Powered-By", async () => {
    const response = await fetch(`${base}/login`);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-powered-by")).toBeNull();
    expect(response.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains; preload");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(await response.text()).toContain("Sign in");
  });

  it("redirects an anonymous visitor from the dashboard to /login", async () => {
    const response = await fetch(`${base}/`, { redirect: "manual" });
    expect([302, 303, 307]).toContain(response.status);
    expect(response.headers.get("location")).toMatch(/\/login$/);
  });

  it("answers 401 with the envelope to anonymous and bad-token API calls", async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: "Bearer o1t_nope" },
      { authorization: "Basic YTpi" },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${base}/api/v1/snapshots/current`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ code: "UNAUTHENTICATED" });
      expect(typeof body.requestId).toBe("string");
    }
  });

  it("refuses a tenant API key used as an operator token", async () => {
    const response = await fetch(`${base}/api/v1/snapshots/current`, {
      headers: { authorization: `Bearer ${demo.apiKey}` },
    });
    expect(response.status).toBe(401);
  });

  it("serves the current snapshot to the operator token", async () => {
    const response = await fetch(`${base}/api/v1/snapshots/current`, {
      headers: { authorization: `Bearer ${demo.adminToken}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.version).toBeGreaterThanOrEqual(1);
    expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(String(body.jws).split(".")).toHaveLength(3);
    expect(typeof body.sizeBytes).toBe("number");
  });

  it("answers a method a route does not serve with the 405 JSON envelope, not Next's bare 405", async () => {
    for (const [method, url, allow] of [
      ["PUT", "/api/v1/snapshots/current", "GET, HEAD, OPTIONS"],
      ["DELETE", "/api/v1/tenants", "GET, POST, HEAD, OPTIONS"],
      ["GET", "/api/v1/fleet/heartbeat", "POST, OPTIONS"],
    ] as const) {
      const response = await fetch(`${base}${url}`, {
        method,
        headers: { authorization: `Bearer ${demo.adminToken}` },
      });
      expect(response.status, `${method} ${url}`).toBe(405);
      expect(response.headers.get("allow")).toBe(allow);
      expect(await response.json()).toMatchObject({ code: "METHOD_NOT_ALLOWED", requestId: expect.any(String) });
    }
    // The methods it does serve still work, through the same module.
    const tenants = await fetch(`${base}/api/v1/tenants`, { headers: { authorization: `Bearer ${demo.adminToken}` } });
    expect(tenants.status).toBe(200);
  });

  it("signs an operator in with email and password, then serves the dashboard and the API by session", async () => {
    const jar = new Map<string, string>();
    const csrf = await fetch(`${base}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    let cookies = cookieHeader(csrf, jar);

    const wrong = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies },
      body: new URLSearchParams({ csrfToken, email: demo.adminEmail, password: "wrong", json: "true" }),
    });
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith("next-auth.session-token="))).toBe(false);

    const signedIn = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies },
      body: new URLSearchParams({ csrfToken, email: demo.adminEmail, password: demo.adminPassword, json: "true" }),
    });
    const sessionCookie = signedIn.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
    expect(sessionCookie).toBeDefined();
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    cookies = cookieHeader(signedIn, jar);

    const dashboard = await fetch(`${base}/`, { headers: { cookie: cookies }, redirect: "manual" });
    expect(dashboard.status).toBe(200);
    const html = await dashboard.text();
    expect(html).toContain("Overview");
    expect(html).toContain("Data planes");
    // Metadata only: the key's secret part never reaches the page.
    const secret = demo.apiKey.split("_").slice(2).join("_");
    expect(html).not.toContain(secret);

    const api = await fetch(`${base}/api/v1/snapshots/current`, { headers: { cookie: cookies } });
    expect(api.status).toBe(200);
  });

  it("stops cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

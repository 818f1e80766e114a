import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsDir, launchChromium } from "./browser.ts";
import { type RunningProvider, startOidcProvider } from "./oidc-provider.ts";
import { type RunningStack, startStack } from "./stack.ts";

// An operator's day in the console, end to end: SSO through a real OpenID Provider,
// then tenant, upstream, policy and key created in the browser, publish, an MCP call
// through the data plane with the new key, and every screen captured.
const WEB_PORT = 3337;
const DATA_PLANE_PORT = 8407;
const consoleUrl = `http://localhost:${WEB_PORT}`;

function everythingServer(): { command: string; args: string } {
  const require = createRequire(path.join(import.meta.dirname, "..", "..", "control-plane", "package.json"));
  const manifest = require.resolve("@modelcontextprotocol/server-everything/package.json");
  return { command: process.execPath, args: `${path.join(path.dirname(manifest), "dist", "index.js")} stdio` };
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifactsDir, `console-${name}.png`), fullPage: true });
}

async function signInWithSso(page: Page, login: string) {
  // A fresh identity-provider session each time (its cookies would sign the last user in again).
  await page.context().clearCookies();
  await page.goto(`${consoleUrl}/login`);
  await page.click('[data-testid="sso-sign-in"]');
  await page.waitForSelector('input[name="login"]');
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', "any password");
  await page.click('button[type="submit"]');
  // The development consent screen, then back to the console (or to /login when refused).
  const consent = page.locator("button.login-submit", { hasText: "Continue" });
  await consent.waitFor({ timeout: 15_000 }).catch(() => undefined);
  if (await consent.count()) await consent.click();
  await page.waitForURL((url) => url.origin === consoleUrl, { timeout: 30_000 });
}

describe("console: SSO, management screens, publish and a call through the data plane", () => {
  let provider: RunningProvider;
  let stack: RunningStack;
  let browser: Browser;
  let page: Page;
  let tenantUrl = "";
  let apiKey = "";
  let publishedVersion = 0;

  beforeAll(async () => {
    provider = await startOidcProvider(consoleUrl);
    stack = await startStack({
      webPort: WEB_PORT,
      dataPlanePort: DATA_PLANE_PORT,
      env: {
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: provider.clientId,
        OIDC_CLIENT_SECRET: provider.clientSecret,
        OIDC_NAME: "Test IdP",
      },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  });
  afterAll(async () => {
    // The launcher's output, for reading a failure (secrets in it are this run's throwaway demo).
    if (stack) writeFileSync(path.join(artifactsDir, "console-stack.log"), stack.output());
    await browser?.close();
    await stack?.stop();
    await provider?.close();
  });

  it("refuses an SSO identity whose email maps to no operator", async () => {
    await signInWithSso(page, "stranger@example.com");
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await page.textContent('[data-testid="login-error"]')).toContain("may not sign in");
    await shot(page, "login-refused");
  });

  it("signs the operator in through the OpenID Provider (code + PKCE) by their email", async () => {
    await signInWithSso(page, stack.demo.adminEmail);
    expect(new URL(page.url()).pathname).toBe("/");
    await shot(page, "after-sso");
    await page.waitForSelector('h1:has-text("Overview")');
    const cookies = await page.context().cookies(consoleUrl);
    const session = cookies.find((cookie) => cookie.name === "next-auth.session-token");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
    await shot(page, "overview");
  });

  it("creates a tenant", async () => {
    await page.goto(`${consoleUrl}/tenants`);
    await page.fill("#tenant-name", "Acme");
    await page.fill("#tenant-slug", "acme");
    await page.click('button:has-text("Create tenant")');
    await page.click('a:has-text("Acme")');
    await page.waitForURL(/\/tenants\/ten_[A-Za-z0-9]+\/keys$/);
    tenantUrl = page.url().replace(/\/keys$/, "");
    await page.goto(`${consoleUrl}/tenants`);
    await page.waitForSelector('table[aria-label="Tenants"] >> text=acme');
    await shot(page, "tenants");
  });

  it("adds an upstream server and tests its connection with the MCP client", async () => {
    const server = everythingServer();
    await page.goto(`${tenantUrl}/upstreams`);
    await page.fill("#upstream-name", "everything");
    await page.fill("#upstream-command", server.command);
    await page.fill("#upstream-args", server.args);
    await page.click('button:has-text("Add upstream")');
    await page.click('button:has-text("Test connection")');
    const connection = page.locator('[data-testid="connection-everything"]');
    await connection.locator("text=/\\d+ tools/").waitFor({ timeout: 30_000 });
    await shot(page, "upstreams");
  });

  it("writes a policy in the form and the JSON editor, validated as typed, and diffs it against the published version", async () => {
    await page.goto(`${tenantUrl}/policies`);
    await page.click('button:has-text("New policy")');
    await page.fill("#policy-name", "baseline");
    // The structured form (the default view): a deny glob, read-only, and a rule with bad conditions.
    await page.waitForSelector('[data-testid="policy-form"]');
    await page.fill("#pf-deny", "everything__printEnv");
    await page.check("#pf-read-only");
    await page.click('button:has-text("Add rule")');
    await page.selectOption("#pf-rule-0-effect", "deny");
    await page.fill("#pf-rule-0-conditions", "{ nope");
    await page.waitForSelector("text=Rule 1: conditions are not JSON.");
    expect(await page.isDisabled('button[type="submit"]:has-text("Save")')).toBe(true);
    await page.fill("#pf-rule-0-conditions", '{"server":"everything"}');
    await shot(page, "policy-form");
    // The JSON editor shows what the form wrote; it is the same document.
    await page.click('button[aria-pressed]:has-text("JSON")');
    const written = JSON.parse(await page.inputValue("#policy-rules"));
    expect(written).toEqual({
      tools: { allow: [], deny: ["everything__printEnv"] },
      readOnly: true,
      rules: [{ action: "call", subject: "Tool", conditions: { server: "everything" }, inverted: true }],
    });
    await page.fill("#policy-rules", "{ not json");
    await page.waitForSelector("text=/Not JSON/");
    await page.fill("#policy-rules", JSON.stringify({ tools: { deny: ["everything__printEnv"] } }, null, 2));
    await page.click('button:has-text("Save")');
    await page.waitForSelector('table[aria-label="Policies"] >> text=unpublished');
    await page.click('button:has-text("Open")');
    await page.click('button:has-text("Diff against published")');
    const diff = await page.textContent('[data-testid="policy-diff"]');
    expect(diff).toContain("+");
    expect(diff).toContain("everything__printEnv");
    await shot(page, "policies");
  });

  it("creates an API key whose secret is shown once", async () => {
    await page.goto(`${tenantUrl}/keys`);
    await page.fill("#key-name", "e2e key");
    await page.fill("#key-expiry", "30");
    await page.click('button:has-text("Create key")');
    const secret = page.locator('[data-testid="secret-once"]');
    await secret.waitFor();
    apiKey = await secret.inputValue();
    expect(apiKey).toMatch(/^o1k_[A-Za-z0-9]{12}_/);
    await page.waitForSelector('table[aria-label="API keys"] >> text=e2e key');
    await shot(page, "keys");
    await page.click('button:has-text("Done")');
    await page.reload();
    await page.waitForSelector('table[aria-label="API keys"] >> text=e2e key');
    expect(await page.textContent("body")).not.toContain(apiKey);
  });

  it("publishes, and the data plane serves the new tenant's tools to the new key", async () => {
    await page.waitForSelector('[data-testid="publish-bar"] >> text=unpublished changes');
    const before = Number((await page.textContent('[data-testid="snapshot-version"]'))?.replace("v", ""));
    await page.click('[data-testid="publish-bar"] button:has-text("Publish")');
    await page.waitForSelector('[data-testid="publish-bar"] >> text=in sync', { timeout: 30_000 });
    const after = Number((await page.textContent('[data-testid="snapshot-version"]'))?.replace("v", ""));
    expect(after).toBeGreaterThan(before);
    publishedVersion = after;

    const deadline = Date.now() + 20_000;
    for (;;) {
      const status = (await (await fetch(`${stack.dataPlaneUrl}/_only1mcp/status`)).json()) as {
        snapshotVersion: number;
      };
      if (status.snapshotVersion >= after) break;
      if (Date.now() > deadline) throw new Error(`data plane stayed at v${status.snapshotVersion}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const client = new Client({ name: "e2e-console", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(stack.demo.mcpUrl), {
        requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
      }),
    );
    try {
      // The snapshot is applied before its new upstream process has started: list until it is ready.
      let names: string[] = [];
      const ready = Date.now() + 30_000;
      while (!names.includes("everything__echo") && Date.now() < ready) {
        names = (await client.listTools()).tools.map((tool) => tool.name);
        if (!names.includes("everything__echo")) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(names).toContain("everything__echo");
      const result = await client.callTool({ name: "everything__echo", arguments: { message: "through the console" } });
      expect(JSON.stringify(result.content)).toContain("through the console");
    } finally {
      await client.close();
    }
  });

  it("shows members, the fleet with the published snapshot, and operator tokens", async () => {
    await page.goto(`${tenantUrl}/members`);
    await page.waitForSelector(`table[aria-label="Members"] >> text=${stack.demo.adminEmail}`);
    await shot(page, "members");

    // The fleet view comes from heartbeats: wait for the node to report the version just published.
    const deadline = Date.now() + 30_000;
    for (;;) {
      await page.goto(`${consoleUrl}/data-planes`);
      await page.waitForSelector('table[aria-label="Data planes"]');
      const text = (await page.textContent('table[aria-label="Data planes"]')) ?? "";
      if (text.includes("in sync") && text.includes(`v${publishedVersion}`)) break;
      if (Date.now() > deadline) throw new Error(`fleet view never showed v${publishedVersion} in sync: ${text}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    await page.waitForSelector('[data-testid="snapshot-version"]');
    await shot(page, "data-planes");

    await page.goto(`${consoleUrl}/tokens`);
    await page.waitForSelector('table[aria-label="Operator tokens"] >> text=demo admin token');
    await shot(page, "tokens");
  });

  it("pastes a security block in Security settings, saves it, and finds it stored after a reload", async () => {
    await page.goto(`${consoleUrl}/security`);
    await page.waitForSelector("#security-document");
    // A misspelt key is refused as typed: nothing to save.
    await page.fill("#security-document", "security:\n  rate_limting:\n    enabled: true\n");
    await page.waitForSelector('[role="alert"] >> text=/rate_limting/');
    expect(await page.isDisabled('button[type="submit"]:has-text("Save")')).toBe(true);
    // A block as the seed's SECURITY.md writes it (limits far above what this run sends).
    await page.fill(
      "#security-document",
      [
        "security:",
        "  rate_limiting:",
        "    enabled: true",
        "    global_limit: 10000",
        "    per_client_limit: 777",
        "observability:",
        "  audit:",
        "    enabled: true",
        "    retention: 365d",
        "",
      ].join("\n"),
    );
    await page.click('button[type="submit"]:has-text("Save")');
    await page.waitForSelector("text=/Last changed/");
    await page.reload();
    await page.waitForSelector("text=/Last changed/");
    const stored = await page.inputValue("#security-document");
    expect(stored).toContain("per_client_limit: 777");
    expect(stored).toContain("retention: 365d");
    const api = await fetch(`${consoleUrl}/api/v1/security-settings`, {
      headers: { authorization: `Bearer ${stack.demo.adminToken}` },
    });
    expect(await api.json()).toMatchObject({
      security: { rate_limiting: { enabled: true, global_limit: 10000, per_client_limit: 777 } },
      observability: { audit: { enabled: true, retention: "365d" } },
    });
    await shot(page, "security");
  });

  it("shows the audit log: MCP calls, the admin changes made above, CSV export and chain verification", async () => {
    await page.goto(`${consoleUrl}/audit`);
    // MCP call events appear once the data plane ships them (its audit shipper is not on this
    // branch): the call view shows either the echo call or its genuine empty state.
    await page.waitForSelector('table[aria-label="Audit events"], [data-state="empty"]');
    const calls = (await page.textContent("main")) ?? "";
    expect(calls.includes("everything__echo") || calls.includes("No MCP calls match these filters")).toBe(true);
    await shot(page, "audit-calls");

    // The admin changes this test made in the browser, newest first.
    await page.selectOption("#f-source", "admin");
    await page.click('button:has-text("Apply filters")');
    await page.waitForSelector('table[aria-label="Audit events"] >> text=snapshot.published');
    const admin = (await page.textContent('table[aria-label="Audit events"]')) ?? "";
    for (const action of [
      "tenant.created",
      "upstream.created",
      "policy.created",
      "api_key.issued",
      "security_settings.updated",
    ])
      expect(admin).toContain(action);
    await page.fill("#f-action", "api_key.issued");
    await page.click('button:has-text("Apply filters")');
    await page.waitForFunction(() => {
      const table = document.querySelector('table[aria-label="Audit events"]');
      return table !== null && !table.textContent?.includes("tenant.created");
    });
    expect(await page.textContent('table[aria-label="Audit events"]')).toContain("api_key.issued");

    await page.click('button:has-text("Verify hash chains")');
    const verdict = page.locator('[data-testid="chain-result"]');
    await verdict.waitFor();
    expect(await verdict.textContent()).toMatch(/Intact|No hash chains yet/);
    await shot(page, "audit");

    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="audit-export"]')]);
    const csv = readFileSync(await download.path(), "utf8");
    expect(csv.split("\n")[0]).toBe(
      "time,source,id,tenantId,kind,actor,action,keyId,nodeId,method,tool,decision,code,latencyMs,seq,hash",
    );
    expect(csv).toContain(",admin,");
    expect(csv).toContain("api_key.issued");
    expect(csv).not.toContain("tenant.created");
  });

  it("generates a SOC 2 report in the browser and downloads its CSV with the expected evidence rows", async () => {
    await page.goto(`${consoleUrl}/reports`);
    await page.waitForSelector('[data-state="empty"], table[aria-label="Reports"]');
    await page.selectOption("#r-framework", "soc2");
    await page.selectOption("#r-period", "30");
    await page.click('button:has-text("Generate")');
    await page.waitForSelector("text=Report requested");
    const row = page.locator('table[aria-label="Reports"] tbody tr').first();
    await row.locator("text=completed").waitFor({ timeout: 60_000 });
    expect(await row.textContent()).toContain("SOC 2");
    const shownSha = await row.locator('[data-testid="download-csv"] + code').getAttribute("title");
    expect(shownSha).toMatch(/^[0-9a-f]{64}$/);
    await shot(page, "reports");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      row.locator('[data-testid="download-csv"]').click(),
    ]);
    const bytes = readFileSync(await download.path());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(shownSha);
    const csv = bytes.toString("utf8");
    expect(csv.split("\n")[0]).toBe("control,control_title,section,item,status,detail");
    const lines = csv.split("\n");
    // Access review: the signed-in operator's role and the key created above.
    expect(lines.some((line) => line.startsWith("CC6.1,") && line.includes(stack.demo.adminEmail))).toBe(true);
    expect(lines.some((line) => line.includes("access_review") && line.includes("e2e key"))).toBe(true);
    // Configuration changes and the fleet, from this run.
    expect(lines.some((line) => line.includes("configuration_changes") && line.includes("snapshot.published"))).toBe(
      true,
    );
    expect(lines.some((line) => line.includes("fleet_state"))).toBe(true);
    expect(lines.some((line) => line.includes("audit_chain") || line.includes("retention_status"))).toBe(true);
  });

  it("shows the overview with the last day's traffic card", async () => {
    await page.goto(`${consoleUrl}/`);
    await page.waitForSelector("text=Traffic, last 24 hours");
    await shot(page, "overview-after");
  });

  it("signs out everywhere: the session cookie no longer opens the console", async () => {
    const cookies = await page.context().cookies(consoleUrl);
    const cookieHeader = cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
    await page.click('button:has-text("Sign out everywhere")');
    await page.waitForURL(`${consoleUrl}/login`);
    const replay = await fetch(`${consoleUrl}/api/v1/tenants`, { headers: { cookie: cookieHeader } });
    expect(replay.status).toBe(401);
  });
});

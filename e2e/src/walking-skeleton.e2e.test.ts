import { createHash, randomUUID } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsDir, launchChromium } from "./browser.ts";
import { descendantsOf, isAlive, type RunningStack, startStack } from "./stack.ts";

// A new user's first minutes: `npm start`, the demo credentials, one MCP call,
// the console, and Ctrl-C leaving nothing behind.
describe("npm start on a fresh data dir", () => {
  let stack: RunningStack;
  let browser: Browser | undefined;

  beforeAll(async () => {
    stack = await startStack({ webPort: 3317, dataPlanePort: 8387 });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("writes demo.json with owner-only permissions and prints the same credentials", () => {
    const mode = statSync(path.join(stack.dataDir, "demo.json")).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(stack.demo.consoleUrl).toBe("http://localhost:3317");
    expect(stack.demo.mcpUrl).toBe("http://127.0.0.1:8387/mcp");
    expect(stack.output()).toContain(stack.demo.apiKey);
    expect(stack.output()).toContain(stack.demo.adminPassword);
  });

  it("lists and calls the demo tools through the data plane with the official MCP client", async () => {
    const client = new Client({ name: "e2e", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(stack.demo.mcpUrl), {
        requestInit: { headers: { Authorization: `Bearer ${stack.demo.apiKey}` } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("everything__echo");
      const result = await client.callTool({ name: "everything__echo", arguments: { message: "hello gateway" } });
      expect(JSON.stringify(result.content)).toContain("hello gateway");
    } finally {
      await client.close();
    }
  });

  it("answers a wrong key with 401 and WWW-Authenticate", async () => {
    const response = await fetch(stack.demo.mcpUrl, {
      method: "POST",
      headers: {
        authorization: "Bearer o1k_AAAAAAAAAAAA_wrongwrongwrongwrongwrongwrongwrong",
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer resource_metadata="/);
  });

  it("refuses a tampered snapshot and keeps the applied version", async () => {
    const before = (await (await fetch(`${stack.dataPlaneUrl}/_only1mcp/status`)).json()) as {
      snapshotVersion: number;
    };
    expect(before.snapshotVersion).toBeGreaterThanOrEqual(1);
    const current = await fetch(`${stack.demo.consoleUrl}/api/v1/snapshots/current`, {
      headers: { authorization: `Bearer ${stack.demo.adminToken}` },
    });
    expect(current.status).toBe(200);
    const { jws, version } = (await current.json()) as { jws: string; version: number };
    expect(version).toBe(before.snapshotVersion);
    const [header, payload, signature] = jws.split(".") as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, "base64url").toString()) as { version: number };
    forged.version = before.snapshotVersion + 10;
    const response = await fetch(`${stack.dataPlaneUrl}/_only1mcp/snapshot`, {
      method: "PUT",
      body: `${header}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const after = (await (await fetch(`${stack.dataPlaneUrl}/_only1mcp/status`)).json()) as { snapshotVersion: number };
    expect(after.snapshotVersion).toBe(before.snapshotVersion);
  });

  it("keeps the current snapshot from anonymous callers", async () => {
    const response = await fetch(`${stack.demo.consoleUrl}/api/v1/snapshots/current`);
    expect(response.status).toBe(401);
  });

  it("lets the demo admin sign in and see the tenant, its key and the data plane", async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${stack.demo.consoleUrl}/login`);
    await page.screenshot({ path: path.join(artifactsDir, "login.png"), fullPage: true });
    await page.fill('input[name="email"]', stack.demo.adminEmail);
    await page.fill('input[name="password"]', stack.demo.adminPassword);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${stack.demo.consoleUrl}/`);
    const text = await page.textContent("body");
    const prefix = stack.demo.apiKey.split("_")[1] ?? "";
    expect(text).toContain("demo");
    expect(text).toContain(prefix);
    expect(text).not.toContain(stack.demo.apiKey);
    await page.screenshot({ path: path.join(artifactsDir, "dashboard.png"), fullPage: true });
  });

  it("shows the data plane registered by heartbeat, stores a re-sent audit batch once, and builds a report", async () => {
    const auth = { authorization: `Bearer ${stack.demo.adminToken}` };
    type Node = { name: string; health: string; version: string | null };
    let nodes: Node[] = [];
    for (let i = 0; i < 100 && !nodes.some((n) => n.health === "in_sync" && n.version); i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 300));
      nodes = (
        (await (await fetch(`${stack.demo.consoleUrl}/api/v1/nodes`, { headers: auth })).json()) as { nodes: Node[] }
      ).nodes;
    }
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ health: "in_sync", version: "0.1.0" });

    const nodeToken = readFileSync(path.join(stack.dataDir, "node-token"), "utf8").trim();
    const batch = {
      nodeId: "e2e",
      events: [
        {
          id: randomUUID(),
          time: new Date().toISOString(),
          nodeId: "e2e",
          tenantId: null,
          keyId: null,
          kind: "authentication",
          method: null,
          server: null,
          tool: null,
          originalTool: null,
          decision: "deny",
          code: "NOT_FOUND",
          latencyMs: null,
          argsSha256: null,
          clientAddress: null,
        },
      ],
    };
    const ship = () =>
      fetch(`${stack.demo.consoleUrl}/api/v1/fleet/audit`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${nodeToken}` },
        body: JSON.stringify(batch),
      });
    expect(await (await ship()).json()).toEqual({ accepted: 1, duplicates: 0 });
    expect(await (await ship()).json()).toEqual({ accepted: 0, duplicates: 1 });
    const forged = await fetch(`${stack.demo.consoleUrl}/api/v1/fleet/audit`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer not-the-node-token" },
      body: JSON.stringify(batch),
    });
    expect(forged.status).toBe(401);
    const verify = await (await fetch(`${stack.demo.consoleUrl}/api/v1/audit/verify`, { headers: auth })).json();
    expect(verify).toMatchObject({ ok: true });

    const requested = await fetch(`${stack.demo.consoleUrl}/api/v1/reports`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ framework: "soc2" }),
    });
    expect(requested.status).toBe(202);
    const { reportId } = (await requested.json()) as { reportId: string };
    let status = "";
    for (let i = 0; i < 100 && status !== "completed"; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      status = (
        (await (await fetch(`${stack.demo.consoleUrl}/api/v1/reports/${reportId}`, { headers: auth })).json()) as {
          status: string;
        }
      ).status;
    }
    const pdf = await fetch(`${stack.demo.consoleUrl}/api/v1/reports/${reportId}/download?format=pdf`, {
      headers: auth,
    });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(pdf.headers.get("x-content-sha256"));
  });

  it("stops every process, upstreams included, on Ctrl-C", async () => {
    const pid = stack.process.pid as number;
    const tree = descendantsOf(pid);
    expect(tree.length).toBeGreaterThanOrEqual(3); // console, data plane, stdio upstream
    expect(await stack.stop()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(tree.filter(isAlive)).toEqual([]);
  });
});

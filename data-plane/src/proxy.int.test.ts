import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { everythingCommand, hashKey, makeApiKey } from "./testing/fixtures.ts";
import { isAlive, REPO_ROOT, type RunningPlane, startPlane, waitFor } from "./testing/process.ts";
import { startV2HttpUpstream } from "./testing/upstreams.ts";

type Status = { upstreams: { name: string; state: string; pid?: number }[] };

const WAITER = path.join(REPO_ROOT, "data-plane/src/testing/waiter-upstream.ts");

describe("aggregating proxy: stdio + HTTP upstreams, both eras", () => {
  let dir: string;
  let plane: RunningPlane;
  let apiKey: string;
  let v2: Awaited<ReturnType<typeof startV2HttpUpstream>>;
  let configFile: string;
  let config: Record<string, unknown>;
  const cancelLog = () => path.join(dir, "cancel.log");
  const clients: { close(): Promise<void> }[] = [];

  const status = async () => (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as Status;
  const allReady = (names: string[]) =>
    waitFor(
      async () => {
        const s = await status();
        return names.every((n) => s.upstreams.some((u) => u.name === n && u.state === "ready")) ? s : undefined;
      },
      `upstreams ${names.join(", ")} ready`,
    );

  async function legacyClient(): Promise<Client> {
    const client = new Client({ name: "legacy", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${plane.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
      }),
    );
    clients.push(client);
    return client;
  }

  const text = (result: object) =>
    ((("content" in result ? result.content : undefined) ?? []) as { text?: string }[])
      .map((c) => c.text ?? "")
      .join("");

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dp-proxy-"));
    v2 = await startV2HttpUpstream();
    const generated = makeApiKey();
    apiKey = generated.key;
    const everything = everythingCommand();
    config = {
      schema: "snapshot.v1",
      version: 1,
      issuedAt: new Date().toISOString(),
      tenants: [
        {
          id: "ten_a",
          slug: "a",
          name: "A",
          apiKeys: [{ id: "key_a", prefix: generated.prefix, hash: await hashKey(apiKey, 4) }],
          upstreams: [
            {
              id: "u_every",
              name: "everything",
              transport: "stdio",
              command: everything.command,
              args: everything.args,
            },
            { id: "u_v2", name: "v2", transport: "http", url: v2.url },
            {
              id: "u_wait",
              name: "waiter",
              transport: "stdio",
              command: process.execPath,
              args: ["--import", "tsx", WAITER],
              env: { CANCEL_LOG: path.join(dir, "cancel.log") },
              cwd: REPO_ROOT,
            },
          ],
        },
      ],
    };
    configFile = path.join(dir, "config.yaml");
    await writeFile(configFile, stringify(config));
    plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", configFile]);
    await allReady(["everything", "v2", "waiter"]);
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await plane?.stop();
    await v2?.close();
  });

  it("aggregates tools and prompts of a stdio and an HTTP upstream for a legacy-era client", async () => {
    const client = await legacyClient();
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["everything__echo", "v2__echo", "v2__add", "waiter__wait"]));
    expect(text(await client.callTool({ name: "everything__echo", arguments: { message: "hi" } }))).toContain("hi");
    expect(text(await client.callTool({ name: "v2__add", arguments: { a: 2, b: 3 } }))).toBe("5");
    const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
    expect(prompts).toContain("v2__greet");
    const prompt = await client.getPrompt({ name: "v2__greet", arguments: { who: "bob" } });
    expect(JSON.stringify(prompt.messages)).toContain("hello bob");
    const resources = await client.listResources();
    expect(resources.resources.length).toBeGreaterThan(0);
    const first = resources.resources[0];
    const read = await client.readResource({ uri: first?.uri ?? "" });
    expect(read.contents[0]?.uri).toBe(first?.uri);
  });

  it("serves a 2026-07-28 client statelessly (server/discover, per-request _meta) across both upstreams", async () => {
    const client = new V2Client(
      { name: "modern", version: "1" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    await client.connect(
      new V2Transport(new URL(`${plane.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${apiKey}` } } }),
    );
    clients.push(client);
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["everything__echo", "v2__echo"]));
    const result = await client.callTool({ name: "v2__echo", arguments: { message: "now" } });
    expect(text(result)).toBe("v2:now");
    const stdio = await client.callTool({ name: "everything__echo", arguments: { message: "pipe" } });
    expect(text(stdio)).toContain("pipe");
  });

  it("refuses a 2026-07-28 request whose Mcp-Name header disagrees with its body (HTTP 400)", async () => {
    const response = await fetch(`${plane.url}/mcp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${apiKey}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2026-07-28",
        "mcp-method": "tools/call",
        "mcp-name": "v2__add",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: {
          name: "v2__echo",
          arguments: { message: "x" },
          _meta: {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
            "io.modelcontextprotocol/clientCapabilities": {},
          },
        },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ id: 1, error: { code: -32020 } });
  });

  it("serves the old HTTP+SSE transport (GET /sse + POST /messages)", async () => {
    const auth = { Authorization: `Bearer ${apiKey}` };
    const client = new Client({ name: "old-sse", version: "1" });
    await client.connect(
      new SSEClientTransport(new URL(`${plane.url}/sse`), {
        requestInit: { headers: auth },
        eventSourceInit: { fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, ...auth } }) },
      }),
    );
    clients.push(client);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("v2__echo");
    expect(text(await client.callTool({ name: "v2__echo", arguments: { message: "old" } }))).toBe("v2:old");
  });

  it("streams an upstream's progress back to the client", async () => {
    const client = await legacyClient();
    const progress: number[] = [];
    const result = await client.callTool(
      { name: "everything__trigger-long-running-operation", arguments: { duration: 0.3, steps: 3 } },
      undefined,
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(text(result)).toContain("completed");
    expect(progress).toEqual([1, 2, 3]);
  });

  it("forwards a client's cancellation to the upstream request it belongs to", async () => {
    const client = await legacyClient();
    const abort = new AbortController();
    const call = client.callTool({ name: "waiter__wait", arguments: {} }, undefined, { signal: abort.signal });
    await new Promise((r) => setTimeout(r, 300));
    abort.abort("user gave up");
    await expect(call).rejects.toThrow();
    const log = await waitFor(async () => {
      const content = await readFile(cancelLog(), "utf8").catch(() => "");
      return content.includes("cancelled") ? content : undefined;
    }, "the upstream to see the cancellation");
    expect(log.trim().split("\n")).toEqual(["cancelled"]);
  });

  it("answers a clear JSON-RPC error when an upstream dies mid-call, keeps the others serving, and reconnects", async () => {
    const client = await legacyClient();
    const before = (await status()).upstreams.find((u) => u.name === "everything");
    const pid = before?.pid as number;
    const call = client.callTool({
      name: "everything__trigger-long-running-operation",
      arguments: { duration: 5, steps: 5 },
    });
    await new Promise((r) => setTimeout(r, 300));
    process.kill(-pid, "SIGKILL");
    await expect(call).rejects.toThrow(/unavailable/);
    expect(text(await client.callTool({ name: "v2__add", arguments: { a: 1, b: 1 } }))).toBe("2");
    const after = await allReady(["everything"]);
    const back = after.upstreams.find((u) => u.name === "everything");
    expect(back?.pid).not.toBe(pid);
    expect(isAlive(pid)).toBe(false);
    expect(text(await client.callTool({ name: "everything__echo", arguments: { message: "back" } }))).toContain("back");
  });

  it("hot-reloads the config under load without failing an in-flight request, and tells clients the lists changed", async () => {
    const client = await legacyClient();
    let listChanged = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      listChanged++;
    });
    // The client opens its GET stream after initialize; give it a moment.
    await new Promise((r) => setTimeout(r, 300));
    let failures = 0;
    let done = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          await client.callTool({ name: "v2__add", arguments: { a: done, b: 1 } });
          done++;
        } catch {
          failures++;
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await new Promise((r) => setTimeout(r, 200));
    const tenants = config.tenants as { upstreams: Record<string, unknown>[] }[];
    const tenant = tenants[0] as { upstreams: Record<string, unknown>[] };
    // Remove the waiter, add a second HTTP upstream with its own prefix.
    tenant.upstreams = [
      ...tenant.upstreams.filter((u) => u.id !== "u_wait"),
      { id: "u_v2b", name: "v2b", prefix: "b", separator: ".", transport: "http", url: v2.url },
    ];
    await writeFile(configFile, stringify({ ...config, version: 2 }));
    await allReady(["v2b"]);
    await new Promise((r) => setTimeout(r, 200));
    stop = true;
    await Promise.all(workers);
    expect(failures).toBe(0);
    expect(done).toBeGreaterThan(10);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("b.add");
    expect(names).not.toContain("waiter__wait");
    await waitFor(async () => (listChanged > 0 ? true : undefined), "a tools/list_changed notification");
  });

  it("opens and closes 1,000 sessions and leaves process count and memory where they started", async () => {
    const pid = plane.proc.pid as number;
    const headers = {
      authorization: `Bearer ${apiKey}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    };
    const oneSession = async (i: number) => {
      const init = await fetch(`${plane.url}/mcp`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "soak", version: "1" } },
        }),
      });
      const sid = init.headers.get("mcp-session-id") ?? "";
      await init.arrayBuffer();
      const withSession = { ...headers, "mcp-session-id": sid, "mcp-protocol-version": "2025-06-18" };
      const call = await fetch(`${plane.url}/mcp`, {
        method: "POST",
        headers: withSession,
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 2,
          method: "tools/call",
          params: { name: "v2__add", arguments: { a: i, b: 1 } },
        }),
      });
      expect(((await call.json()) as { result?: unknown }).result).toBeDefined();
      expect((await fetch(`${plane.url}/mcp`, { method: "DELETE", headers: withSession })).status).toBe(200);
      const after = await fetch(`${plane.url}/mcp`, {
        method: "POST",
        headers: withSession,
        body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "ping" }),
      });
      expect(after.status).toBe(404);
    };
    const run = async (count: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < count) await oneSession(next++);
        }),
      );
    };
    await run(100); // warm-up: JIT, pools, caches
    const before = { children: childCount(pid), rssMb: rssMb(pid) };
    await run(1000);
    const after = { children: childCount(pid), rssMb: rssMb(pid) };
    expect(after.children).toBe(before.children);
    expect(after.rssMb - before.rssMb).toBeLessThan(40);
  }, 180_000);
});

/** Live direct children of a process (its upstream process-group leaders). */
function childCount(pid: number): number {
  let count = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === pid && fields[0] !== "Z") count++;
    } catch {
      // exited while we looked
    }
  }
  return count;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingCommand, hashKey, makeApiKey, payload } from "../testing/fixtures.ts";
import { REPO_ROOT, type RunningPlane, startPlane, waitFor } from "../testing/process.ts";

/**
 * Tenant isolation and policy enforcement against real upstreams: two tenants,
 * each with @modelcontextprotocol/server-everything (stdio) and an SDK-built
 * file server (stdio), with one data plane in front, driven by the SDK client
 * and by raw HTTP where the SDK would hide the wire.
 */

const FILES_SERVER = path.join(REPO_ROOT, "data-plane/src/testing/files-server.ts");

type Key = { key: string; prefix: string };
let dir: string;
let plane: RunningPlane;
const keys: Record<"a" | "aRo" | "b", Key> = { a: makeApiKey(), aRo: makeApiKey(), b: makeApiKey() };
const clients: Client[] = [];

function filesUpstream(id: string, mark: string) {
  return {
    id,
    name: "files",
    transport: "stdio" as const,
    command: process.execPath,
    args: ["--import", "tsx", FILES_SERVER],
    env: { TENANT_MARK: mark },
    cwd: REPO_ROOT,
  };
}

async function connect(key: Key): Promise<Client> {
  const client = new Client({ name: "isolation-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${plane.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key.key}` } },
    }),
  );
  clients.push(client);
  return client;
}

async function toolNames(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((t) => t.name).sort();
}

function text(result: unknown): string {
  const content = (result as { content?: { text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("");
}

/** Raw JSON-RPC over HTTP: the wire the SDK would otherwise hide. */
async function rpc(key: Key, body: unknown, sessionId?: string) {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${key.key}`,
    "Content-Type": "application/json",
    Accept: "application/json, text/event-stream",
  };
  if (sessionId) headers["Mcp-Session-Id"] = sessionId;
  const res = await fetch(`${plane.url}/mcp`, { method: "POST", headers, body: JSON.stringify(body) });
  return {
    status: res.status,
    sessionId: res.headers.get("mcp-session-id"),
    body: (await res.json()) as Record<string, unknown>,
  };
}

async function rawSession(key: Key, protocolVersion: string): Promise<string> {
  const init = await rpc(key, {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion, capabilities: {}, clientInfo: { name: "raw", version: "1" } },
  });
  if (!init.sessionId) throw new Error("no session");
  return init.sessionId;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dp-iso-"));
  const everything = everythingCommand();
  const config = payload(1, [
    {
      id: "ten_a",
      slug: "a",
      name: "A",
      apiKeys: [
        { id: "key_a", prefix: keys.a.prefix, hash: await hashKey(keys.a.key) },
        { id: "key_a_ro", prefix: keys.aRo.prefix, hash: await hashKey(keys.aRo.key), roles: ["viewer"] },
      ],
      upstreams: [
        { id: "ups_a_everything", name: "everything", transport: "stdio", ...everything, env: {} },
        filesUpstream("ups_a_files", "tenant-a"),
      ],
      policies: [
        {
          id: "pol_a_base",
          name: "base",
          rules: {
            tools: { deny: ["*delete*"] },
            cache: [{ tool: "files__read_file", ttlMs: 60_000, scope: "private" }],
            visibility: { hide: ["everything__get*"] },
            argumentConstraints: [
              { tool: "files__write_file", schema: { properties: { path: { type: "string", pattern: "^/tmp/" } } } },
            ],
          },
        },
        { id: "pol_a_viewer", name: "viewer", rules: { appliesTo: { roles: ["viewer"] }, readOnly: true } },
      ],
    },
    {
      id: "ten_b",
      slug: "b",
      name: "B",
      apiKeys: [{ id: "key_b", prefix: keys.b.prefix, hash: await hashKey(keys.b.key) }],
      upstreams: [
        { id: "ups_b_everything", name: "everything", transport: "stdio", ...everything, env: {} },
        filesUpstream("ups_b_files", "tenant-b"),
      ],
      policies: [
        {
          id: "pol_b",
          name: "casl",
          rules: {
            rules: [
              {
                action: "call",
                subject: "Tool",
                conditions: { originalName: { $in: ["echo", "whoami", "read_file"] } },
              },
            ],
          },
        },
      ],
    },
  ]);
  const file = path.join(dir, "config.yaml");
  await writeFile(file, JSON.stringify(config));
  plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", file]);
  await waitFor(async () => {
    const status = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as {
      upstreams: { state: string }[];
    };
    return status.upstreams.length === 4 && status.upstreams.every((u) => u.state === "ready") ? true : undefined;
  }, "all four upstreams to be ready");
}, 90_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await plane?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("tenant isolation and policy, against real upstreams", () => {
  it("each key lists only its tenant's tools, filtered by its policies", async () => {
    const a = await toolNames(await connect(keys.a));
    expect(a).toContain("everything__echo");
    expect(a).toContain("files__write_file");
    expect(a).not.toContain("files__delete_file"); // deny glob
    expect(a.some((n) => n.startsWith("everything__get"))).toBe(false); // hidden
    const aRo = await toolNames(await connect(keys.aRo));
    expect(aRo).toContain("files__read_file");
    expect(aRo).not.toContain("files__write_file"); // read-only role
    expect(aRo.every((n) => a.includes(n))).toBe(true); // both of A's policies apply
    const b = await toolNames(await connect(keys.b));
    expect(b).toEqual(["everything__echo", "files__read_file", "files__whoami"]);
  });

  it("calls reach the caller's own tenant's upstream and nobody else's", async () => {
    const a = await connect(keys.a);
    const b = await connect(keys.b);
    expect(JSON.parse(text(await a.callTool({ name: "files__whoami", arguments: {} })))).toMatchObject({
      mark: "tenant-a",
    });
    const bWho = JSON.parse(text(await b.callTool({ name: "files__whoami", arguments: {} })));
    expect(bWho).toEqual({ mark: "tenant-b", auth: null }); // client token never forwarded
    // A's write is invisible to B: separate upstream processes per tenant.
    await a.callTool({ name: "files__write_file", arguments: { path: "/tmp/secret", content: "a-only" } });
    expect(text(await a.callTool({ name: "files__read_file", arguments: { path: "/tmp/secret" } }))).toBe("a-only");
    expect(text(await b.callTool({ name: "files__read_file", arguments: { path: "/tmp/secret" } }))).toBe("");
  });

  it("every denied tool looks unknown, whether hidden, denied, read-only or not allowed by CASL", async () => {
    const cases: [Key, string, Record<string, unknown>][] = [
      [keys.a, "files__delete_file", { path: "/tmp/hello.txt" }],
      [keys.a, "everything__get-sum", { a: 1, b: 2 }],
      [keys.aRo, "files__write_file", { path: "/tmp/x", content: "x" }],
      [keys.b, "files__write_file", { path: "/tmp/x", content: "x" }],
      [keys.b, "everything__get-env", {}],
    ];
    for (const [key, name, args] of cases) {
      const session = await rawSession(key, "2025-06-18");
      const reply = await rpc(
        key,
        { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name, arguments: args } },
        session,
      );
      expect(reply.body.error, name).toMatchObject({ code: -32602, message: expect.stringContaining("unknown tool") });
    }
  });

  it("a session is bound to its key: another tenant's key gets 404", async () => {
    const session = await rawSession(keys.a, "2025-06-18");
    const reply = await rpc(keys.b, { jsonrpc: "2.0", id: 3, method: "tools/list" }, session);
    expect(reply.status).toBe(404);
    expect(reply.body.error).toMatchObject({ data: { code: "SESSION_NOT_FOUND" } });
  });

  it("a cacheable tool is answered from the caller's own cache entry", async () => {
    const a = await connect(keys.a);
    const b = await connect(keys.b);
    const read = (c: Client) => c.callTool({ name: "files__read_file", arguments: { path: "/tmp/cached" } });
    expect(text(await read(a))).toBe("");
    await a.callTool({ name: "files__write_file", arguments: { path: "/tmp/cached", content: "fresh" } });
    expect(text(await read(a))).toBe(""); // cached (TTL 60 s)
    const other = await read(b); // tenant B: no cache rule, own upstream
    expect(text(other)).toBe("");
    expect(text(await a.callTool({ name: "files__read_file", arguments: { path: "/tmp/cached", v: 2 } }))).toBe(
      "fresh",
    );
  });

  it("argument constraints are checked before the upstream sees the call", async () => {
    const a = await connect(keys.a);
    const refused = await a.callTool({ name: "files__write_file", arguments: { path: "/etc/passwd", content: "x" } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain("arguments.path");
    expect(text(await a.callTool({ name: "files__read_file", arguments: { path: "/etc/passwd" } }))).toBe("");
  });

  it("invalid arguments: a tool error from 2025-11-25, JSON-RPC -32602 before", async () => {
    const a = await connect(keys.a);
    const modern = await a.callTool({ name: "files__read_file", arguments: { path: 42 } });
    expect(modern.isError).toBe(true);
    expect(text(modern)).toContain("arguments.path must be string");
    const session = await rawSession(keys.a, "2025-06-18");
    const old = await rpc(
      keys.a,
      { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "files__read_file", arguments: {} } },
      session,
    );
    expect(old.body.error).toMatchObject({
      code: -32602,
      message: expect.stringContaining("required property 'path'"),
    });
  });
});

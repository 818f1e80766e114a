import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  everythingCommand,
  hashKey,
  makeApiKey,
  makeSigningKey,
  payload,
  type SigningKey,
  signPayload,
} from "./testing/fixtures.ts";
import { isAlive, type RunningPlane, startPlane, waitFor } from "./testing/process.ts";

type Status = {
  snapshotVersion: number | null;
  snapshotHash: string | null;
  upstreams: { name: string; state: string; tools?: number; pid?: number }[];
};

async function status(plane: RunningPlane): Promise<Status> {
  return (await fetch(`${plane.url}/_only1mcp/status`)).json() as Promise<Status>;
}

async function readyUpstream(plane: RunningPlane) {
  return waitFor(async () => {
    const s = await status(plane);
    return s.upstreams.find((u) => u.name === "everything" && u.state === "ready");
  }, "server-everything to be ready");
}

async function connectClient(plane: RunningPlane, apiKey: string): Promise<Client> {
  const client = new Client({ name: "int-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${plane.url}/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
  });
  await client.connect(transport);
  return client;
}

async function echo(client: Client, message: string): Promise<string> {
  const result = await client.callTool({ name: "everything__echo", arguments: { message } });
  const content = result.content as { type: string; text?: string }[];
  return content.map((c) => c.text ?? "").join("");
}

describe("data plane process (snapshot mode)", () => {
  let dir: string;
  let signer: SigningKey;
  let apiKey: string;
  let env: Record<string, string>;
  let tenantPayload: (version: number) => ReturnType<typeof payload>;
  const planes: RunningPlane[] = [];
  const upstreamPids: number[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dp-int-"));
    signer = await makeSigningKey();
    const keysFile = path.join(dir, "trusted-keys.json");
    await writeFile(keysFile, JSON.stringify({ keys: [signer.publicJwk] }));
    const generated = makeApiKey();
    apiKey = generated.key;
    const hash = await hashKey(apiKey, 10);
    const { command, args } = everythingCommand();
    tenantPayload = (version) =>
      payload(version, [
        {
          id: "ten_demo",
          slug: "demo",
          name: "Demo",
          apiKeys: [{ id: "key_demo", prefix: generated.prefix, hash, expiresAt: null }],
          upstreams: [{ id: "ups_everything", name: "everything", transport: "stdio", command, args, env: {} }],
          policies: [],
        },
      ]);
    env = { DATA_PLANE_STATE_DIR: path.join(dir, "state"), ONLY1MCP_TRUSTED_KEYS_FILE: keysFile };
    planes.push(await startPlane(env));
  });

  afterAll(async () => {
    for (const plane of planes) await plane.stop();
    for (const pid of upstreamPids) if (isAlive(pid)) process.kill(-pid, "SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  const plane = () => planes.at(-1) as RunningPlane;

  it("is live but not ready before any snapshot, with security headers", async () => {
    const health = await fetch(`${plane().url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get("x-content-type-options")).toBe("nosniff");
    expect(health.headers.get("x-frame-options")).toBe("DENY");
    expect(health.headers.get("content-security-policy")).toBe("default-src 'none'");
    expect(health.headers.get("referrer-policy")).toBe("no-referrer");
    expect((await fetch(`${plane().url}/readyz`)).status).toBe(503);
    expect(await status(plane())).toMatchObject({ snapshotVersion: null, snapshotHash: null, upstreams: [] });
  });

  it("applies a signed snapshot and serves its upstream's tools through the SDK client", async () => {
    const put = await fetch(`${plane().url}/_only1mcp/snapshot`, {
      method: "PUT",
      headers: { "Content-Type": "application/jose" },
      body: await signPayload(tenantPayload(2), signer),
    });
    expect(put.status).toBe(200);
    const applied = (await put.json()) as { snapshotVersion: number; snapshotHash: string };
    expect(applied.snapshotVersion).toBe(2);
    expect(applied.snapshotHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await fetch(`${plane().url}/readyz`)).status).toBe(200);

    const upstream = await readyUpstream(plane());
    expect(upstream.tools).toBeGreaterThan(0);
    if (upstream.pid) upstreamPids.push(upstream.pid);

    const client = await connectClient(plane(), apiKey);
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      expect(names).toContain("everything__echo");
      expect(names.every((n) => n.startsWith("everything__"))).toBe(true);
      expect(tools.find((t) => t.name === "everything__echo")?.inputSchema).toMatchObject({ type: "object" });
      expect(await echo(client, "hello through the gateway")).toContain("hello through the gateway");
      await expect(client.callTool({ name: "everything__nope", arguments: {} })).rejects.toThrow(/unknown tool/);
    } finally {
      await client.close();
    }
  });

  it("refuses a wrong key with 401 and a resource-metadata challenge", async () => {
    const wrong = `${apiKey.slice(0, -4)}AAAA`;
    const res = await fetch(`${plane().url}/mcp`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${wrong}`,
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${plane().url}/.well-known/oauth-protected-resource"`,
    );
    const metadata = await (await fetch(`${plane().url}/.well-known/oauth-protected-resource`)).json();
    expect(metadata).toEqual({
      resource: `${plane().url}/mcp`,
      bearer_methods_supported: ["header"],
      authorization_servers: [],
    });
    await expect(connectClient(plane(), wrong)).rejects.toThrow();
    const inQuery = await fetch(`${plane().url}/mcp?api_key=${apiKey}`, { method: "POST" });
    expect(inQuery.status).toBe(400);
  });

  it("answers malformed MCP requests with the error contract and keeps running", async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${plane().url}/mcp`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${apiKey}`,
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
          ...headers,
        },
        body,
      });
    const parse = await post("{not json");
    expect(parse.status).toBe(400);
    expect(await parse.json()).toMatchObject({ error: { code: -32700 } });
    expect((await post("{}", { "Content-Type": "text/plain" })).status).toBe(415);
    expect((await post("{}", { Accept: "text/html" })).status).toBe(406);
    expect((await post(`"${"x".repeat(4 * 1024 * 1024 + 10)}"`)).status).toBe(413);
    // GET /mcp is the session's notification stream: no session, no stream.
    const get = await fetch(`${plane().url}/mcp`, { headers: { Authorization: `Bearer ${apiKey}` } });
    expect(get.status).toBe(400);
    const put = await fetch(`${plane().url}/mcp`, { method: "PUT", headers: { Authorization: `Bearer ${apiKey}` } });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toContain("POST");
    expect((await fetch(`${plane().url}/healthz`)).status).toBe(200);
  });

  it("refuses a tampered, older or oversized snapshot and changes nothing", async () => {
    const before = await status(plane());
    const jws = await signPayload(tenantPayload(5), signer);
    const [h, , s] = jws.split(".");
    const forged = Buffer.from(JSON.stringify({ ...tenantPayload(5), tenants: [] })).toString("base64url");
    const tampered = await fetch(`${plane().url}/_only1mcp/snapshot`, { method: "PUT", body: `${h}.${forged}.${s}` });
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toMatchObject({ code: "SNAPSHOT_BAD_SIGNATURE", message: expect.any(String) });

    const older = await fetch(`${plane().url}/_only1mcp/snapshot`, {
      method: "PUT",
      body: await signPayload(tenantPayload(1), signer),
    });
    expect(older.status).toBe(409);
    expect(await older.json()).toMatchObject({ code: "SNAPSHOT_STALE" });

    const huge = await fetch(`${plane().url}/_only1mcp/snapshot`, { method: "PUT", body: "a".repeat(9 * 1024 * 1024) });
    expect(huge.status).toBe(413);

    const after = await status(plane());
    expect(after.snapshotVersion).toBe(2);
    expect(after.snapshotHash).toBe(before.snapshotHash);
  });

  it("stops cleanly, leaves no upstream process, and serves last-known-good after a restart", async () => {
    expect(upstreamPids.length).toBeGreaterThan(0);
    const first = upstreamPids[0] as number;
    expect(isAlive(first)).toBe(true);
    const previousHash = (await status(plane())).snapshotHash;
    expect(await plane().stop()).toBe(0);
    expect(isAlive(first)).toBe(false);

    planes.push(await startPlane(env));
    expect((await fetch(`${plane().url}/readyz`)).status).toBe(200);
    const restarted = await status(plane());
    expect(restarted.snapshotVersion).toBe(2);
    expect(restarted.snapshotHash).toBe(previousHash);
    const upstream = await readyUpstream(plane());
    if (upstream.pid) upstreamPids.push(upstream.pid);
    const client = await connectClient(plane(), apiKey);
    try {
      expect(await echo(client, "after restart")).toContain("after restart");
    } finally {
      await client.close();
    }
    expect(await plane().stop()).toBe(0);
    for (const pid of upstreamPids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
  });
});

describe("data plane process (standalone --config mode)", () => {
  let dir: string;
  let plane: RunningPlane | undefined;

  afterAll(async () => {
    await plane?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("serves from a YAML file, hot-reloads valid edits and keeps the previous config on an invalid one", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dp-cfg-"));
    const { key, prefix } = makeApiKey();
    const hash = await hashKey(key, 10);
    const { command, args } = everythingCommand();
    const yaml = (version: number, upstreamName: string) => `schema: snapshot.v1
version: ${version}
issuedAt: "2026-01-01T00:00:00Z"
tenants:
  - id: ten_local
    slug: local
    name: Local
    apiKeys:
      - id: key_local
        prefix: ${prefix}
        hash: "${hash}"
    upstreams:
      - id: ups_1
        name: ${upstreamName}
        transport: stdio
        command: ${JSON.stringify(command)}
        args: ${JSON.stringify(args)}
`;
    const file = path.join(dir, "only1mcp.yaml");
    await writeFile(file, yaml(1, "everything"));
    plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", file]);
    const running = plane;
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
    await readyUpstream(running);
    const client = await connectClient(running, key);
    try {
      expect(await echo(client, "from yaml")).toContain("from yaml");
    } finally {
      await client.close();
    }
    const first = await status(running);

    await writeFile(file, yaml(1, "renamed"));
    const reloaded = await waitFor(async () => {
      const s = await status(running);
      return s.snapshotHash !== first.snapshotHash ? s : undefined;
    }, "the edited file to be applied");
    expect(reloaded.upstreams.map((u) => u.name)).toEqual(["renamed"]);

    await writeFile(file, yaml(1, "renamed").replace("transport: stdio", "transport: smoke-signals"));
    await waitFor(
      async () =>
        running.logs.some((l) => l.includes("config file invalid") && l.includes("line ")) ? true : undefined,
      "the invalid edit to be reported",
    );
    expect((await status(running)).snapshotHash).toBe(reloaded.snapshotHash);
    expect(running.logs.join("\n")).not.toContain(key);

    const pushed = await fetch(`${running.url}/_only1mcp/snapshot`, { method: "PUT", body: "a.b.c" });
    expect(pushed.status).toBe(409);
  });
});

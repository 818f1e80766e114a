import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SnapshotPayloadInput } from "../snapshots/schema.ts";
import { everythingCommand, hashKey, makeApiKey, payload } from "../testing/fixtures.ts";
import { type RunningPlane, startPlane, waitFor } from "../testing/process.ts";

/**
 * `security.auth.required: false`: requests without a credential act in the named
 * tenant with the anonymous roles — and only while the configuration says so.
 * A standalone plane (--config) in front of a real server-everything over stdio.
 */

let dir: string;
let file: string;
let plane: RunningPlane;
const member = makeApiKey();
const clients: Client[] = [];

async function config(version: number, auth: Record<string, unknown>): Promise<SnapshotPayloadInput> {
  return {
    ...payload(version, [
      {
        id: "ten_pub",
        slug: "public",
        name: "Public",
        apiKeys: [{ id: "key_member", prefix: member.prefix, hash: await hashKey(member.key) }],
        upstreams: [{ id: "ups_everything", name: "everything", transport: "stdio", ...everythingCommand(), env: {} }],
        policies: [
          {
            id: "pol_anon",
            name: "anonymous echo only",
            rules: {
              appliesTo: { roles: ["anonymous"] },
              rules: [{ action: "call", subject: "Tool", conditions: { originalName: "echo" } }],
            },
          },
        ],
      },
      { id: "ten_other", slug: "other", name: "Other" },
    ]),
    security: { auth },
  };
}

async function connect(headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: "anonymous-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${plane.url}/mcp`), { requestInit: { headers } }));
  clients.push(client);
  return client;
}

const ping = (headers: Record<string, string> = {}) =>
  fetch(`${plane.url}/mcp`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    }),
  });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dp-anon-"));
  file = path.join(dir, "config.yaml");
  await writeFile(file, JSON.stringify(await config(1, { required: false, anonymous_tenant: "public" })));
  plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", file]);
  await waitFor(async () => {
    const status = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { upstreams: { state: string }[] };
    return status.upstreams.length === 1 && status.upstreams[0]?.state === "ready" ? true : undefined;
  }, "the upstream to be ready");
}, 90_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await plane?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("auth.required: false", () => {
  it("admits a client without a credential into the named tenant, under the anonymous role's policies", async () => {
    const anonymous = await connect();
    const tools = (await anonymous.listTools()).tools.map((tool) => tool.name);
    expect(tools).toEqual(["everything__echo"]);
    const echoed = await anonymous.callTool({ name: "everything__echo", arguments: { message: "anon" } });
    expect(JSON.stringify(echoed.content)).toContain("anon");
    await expect(anonymous.callTool({ name: "everything__get-sum", arguments: { a: 1, b: 2 } })).rejects.toThrow();
  });

  it("still checks a credential that is sent: a wrong one is 401, a right one gets its own access", async () => {
    const wrong = await ping({ authorization: `Bearer ${member.key.slice(0, -3)}xyz` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const keyed = await connect({ Authorization: `Bearer ${member.key}` });
    expect((await keyed.listTools()).tools.length).toBeGreaterThan(1);
  });

  it("requires a credential again once the configuration says required: true", async () => {
    await writeFile(file, JSON.stringify(await config(2, { required: true, anonymous_tenant: "public" })));
    await waitFor(async () => ((await ping()).status === 401 ? true : undefined), "anonymous access to end");
    const refused = await ping();
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain("resource_metadata=");
    expect((await ping({ authorization: `Bearer ${member.key}` })).status).toBe(200);
  });

  it("fails closed when the anonymous tenant is not in the configuration", async () => {
    await writeFile(file, JSON.stringify(await config(3, { required: false, anonymous_tenant: "no-such-tenant" })));
    await waitFor(async () => {
      const status = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { snapshotVersion: number };
      return status.snapshotVersion === 3 ? true : undefined;
    }, "version 3 to apply");
    expect((await ping()).status).toBe(401);
  });
});

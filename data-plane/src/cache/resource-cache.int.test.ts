import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SnapshotPayloadInput } from "../snapshots/schema.ts";
import { hashKey, makeApiKey, payload } from "../testing/fixtures.ts";
import { REPO_ROOT, type RunningPlane, startPlane, waitFor } from "../testing/process.ts";

/**
 * `resources/read` caching and resource-template filtering through a real data plane
 * (--config) in front of a real SDK resource server per tenant, whose every read is
 * numbered and marked with its tenant.
 */

const NOTES_SERVER = path.join(REPO_ROOT, "data-plane/src/testing/resources-server.ts");
let dir: string;
let file: string;
let plane: RunningPlane;
const keys = { a1: makeApiKey(), a2: makeApiKey(), b1: makeApiKey() };
const clients: Client[] = [];

const notes = (id: string, mark: string) => ({
  id,
  name: "notes",
  transport: "stdio" as const,
  command: process.execPath,
  args: ["--import", "tsx", NOTES_SERVER],
  env: { TENANT_MARK: mark },
  cwd: REPO_ROOT,
});

const cachingPolicy = (id: string, name: string) => ({
  id,
  name,
  rules: {
    rules: [{ action: "read", subject: "Resource", conditions: { uri: { $regex: "^notes://public/" } } }],
    resourceCache: [
      { uri: "notes://public/counter", ttlMs: 60_000, scope: "tenant" as const },
      { uri: "notes://public/mine", ttlMs: 60_000, scope: "private" as const },
      { uri: "notes://public/hinted-*", ttlMs: 60_000, scope: "tenant" as const },
    ],
  },
});

async function config(version: number, policyName: string): Promise<SnapshotPayloadInput> {
  return payload(version, [
    {
      id: "ten_a",
      slug: "a",
      name: "A",
      apiKeys: [
        { id: "key_a1", prefix: keys.a1.prefix, hash: await hashKey(keys.a1.key) },
        { id: "key_a2", prefix: keys.a2.prefix, hash: await hashKey(keys.a2.key) },
      ],
      upstreams: [notes("ups_a_notes", "tenant-a")],
      policies: [cachingPolicy("pol_a", policyName)],
    },
    {
      id: "ten_b",
      slug: "b",
      name: "B",
      apiKeys: [{ id: "key_b1", prefix: keys.b1.prefix, hash: await hashKey(keys.b1.key) }],
      upstreams: [notes("ups_b_notes", "tenant-b")],
      policies: [cachingPolicy("pol_b", policyName)],
    },
  ]);
}

async function connect(key: { key: string }): Promise<Client> {
  const client = new Client({ name: "resource-cache-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${plane.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key.key}` } },
    }),
  );
  clients.push(client);
  return client;
}

async function read(client: Client, uri: string): Promise<string> {
  const result = await client.readResource({ uri });
  return String((result.contents[0] as { text?: string } | undefined)?.text);
}

let a1: Client;
let a2: Client;
let b1: Client;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dp-rcache-"));
  file = path.join(dir, "config.yaml");
  await writeFile(file, JSON.stringify(await config(1, "cache")));
  plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", file]);
  await waitFor(async () => {
    const status = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { upstreams: { state: string }[] };
    return status.upstreams.length === 2 && status.upstreams.every((u) => u.state === "ready") ? true : undefined;
  }, "both upstreams to be ready");
  [a1, a2, b1] = await Promise.all([connect(keys.a1), connect(keys.a2), connect(keys.b1)]);
}, 90_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await plane?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("resources/read cache", () => {
  it("a tenant-scope entry serves every key of the tenant, never another tenant", async () => {
    const first = await read(a1, "notes://public/counter");
    expect(first).toMatch(/^tenant-a:notes:\/\/public\/counter:read-\d+$/);
    expect(await read(a1, "notes://public/counter")).toBe(first);
    expect(await read(a2, "notes://public/counter")).toBe(first);
    const other = await read(b1, "notes://public/counter");
    expect(other).toMatch(/^tenant-b:/);
    expect(await read(b1, "notes://public/counter")).toBe(other);
  });

  it("a private entry serves only the key that read it", async () => {
    const mine = await read(a1, "notes://public/mine");
    expect(await read(a1, "notes://public/mine")).toBe(mine);
    const theirs = await read(a2, "notes://public/mine");
    expect(theirs).not.toBe(mine);
    expect(await read(a2, "notes://public/mine")).toBe(theirs);
  });

  it("honours the upstream's hints: cacheScope private narrows a tenant rule, ttlMs 0 disables caching", async () => {
    const privately = await read(a1, "notes://public/hinted-private");
    expect(await read(a1, "notes://public/hinted-private")).toBe(privately);
    expect(await read(a2, "notes://public/hinted-private")).not.toBe(privately);
    const zero = await read(a1, "notes://public/hinted-zero");
    expect(await read(a1, "notes://public/hinted-zero")).not.toBe(zero);
  });

  it("is flushed when the configuration changes", async () => {
    const before = await read(a1, "notes://public/counter");
    expect(await read(a1, "notes://public/counter")).toBe(before);
    await writeFile(file, JSON.stringify(await config(2, "cache, renamed")));
    await waitFor(async () => {
      const status = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { snapshotVersion: number };
      return status.snapshotVersion === 2 ? true : undefined;
    }, "version 2 to apply");
    expect(await read(a1, "notes://public/counter")).not.toBe(before);
  });
});

describe("resource templates under policy", () => {
  it("lists only the templates the caller's read rules admit, and refuses reads outside them", async () => {
    const templates = (await a1.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates).toEqual(["notes://public/by-name/{name}"]);
    expect(await read(a1, "notes://public/by-name/x")).toMatch(/^tenant-a:notes:\/\/public\/by-name\/x:read-/);
    await expect(read(a1, "notes://private/by-name/x")).rejects.toThrow(/not found/);
    await expect(read(a1, "notes://private/secret")).rejects.toThrow(/not found/);
  });
});

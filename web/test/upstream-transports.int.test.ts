import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as cp from "@only1mcp/control-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DataPlaneProcess, startDataPlaneProcess } from "../../control-plane/src/testing/data-plane-process.ts";
import { createTestDatabase } from "../../control-plane/src/testing/postgres-test-database.ts";
import { startSseUpstream } from "../../data-plane/src/testing/sse-upstream.ts";
import { createApiKey } from "../src/keys/api-key-operations.ts";
import {
  createUpstream,
  listUpstreams,
  testStoredUpstream,
  testUpstreamDefinition,
} from "../src/upstreams/upstream-operations.ts";
import { call, mcp } from "./api-test-client.ts";

describe("upstream transports through the console API: stdio, Streamable HTTP and HTTP+SSE", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let plane: DataPlaneProcess;
  let sse: Awaited<ReturnType<typeof startSseUpstream>>;
  let ownerToken: string;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    sse = await startSseUpstream();
    const dataDir = mkdtempSync(path.join(tmpdir(), "only1mcp-transports-"));
    await cp.ensureSigningKey(dataDir);
    plane = await startDataPlaneProcess({
      ONLY1MCP_TRUSTED_KEYS_FILE: path.join(dataDir, cp.TRUSTED_KEYS_FILE),
      DATA_PLANE_STATE_DIR: mkdtempSync(path.join(tmpdir(), "only1mcp-transports-plane-")),
    });
    await cp.startControlPlane({
      ...process.env,
      DATABASE_URL: database.url,
      ONLY1MCP_DATA_DIR: dataDir,
      ONLY1MCP_DATA_PLANE_URLS: plane.url,
      REDIS_URL: "",
    });
    const { db } = cp.getControlPlane();
    const system = { kind: "system" as const, name: "transports-test" };
    const owner = await cp.createOperator(db, { email: "ups-owner@example.com", name: "Owner", role: "owner" }, system);
    ownerToken = (await cp.issueOperatorToken(db, { operatorId: owner.id, name: "owner" }, system)).token;
    tenantId = (await cp.createTenant(db, { slug: "transports", name: "Transports" }, system)).id;
  });

  afterAll(async () => {
    await cp.stopControlPlane();
    await plane?.stop();
    await sse?.close();
    await database?.drop();
  });

  it("creates an sse upstream, tests it, compiles it into the snapshot, and the data plane serves its tools", async () => {
    const params = { tenantId };
    // Tried before saving, and after: the control plane's client speaks HTTP+SSE too.
    const tried = await call(testUpstreamDefinition, ownerToken, {
      params,
      body: { config: { transport: "sse", url: sse.url } },
    });
    expect(tried.json).toMatchObject({ reachable: true, serverName: "sse-upstream", tools: ["echo", "sample"] });
    const created = await call(createUpstream, ownerToken, {
      params,
      body: { name: "legacy", config: { transport: "sse", url: sse.url } },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "legacy", transport: "sse", enabled: true });
    const stored = await call(testStoredUpstream, ownerToken, {
      params: { tenantId, upstreamId: String(created.json.id) },
    });
    expect(stored.json).toMatchObject({ reachable: true, tools: ["echo", "sample"] });
    const listed = await call(listUpstreams, ownerToken, { params });
    expect(listed.json.items).toEqual([
      expect.objectContaining({ name: "legacy", transport: "sse", config: expect.objectContaining({ url: sse.url }) }),
    ]);

    // The other transports' options arrive as the data plane's schema has them.
    const pool = await call(createUpstream, ownerToken, {
      params,
      body: {
        name: "pool",
        config: { transport: "http", url: "http://127.0.0.1:9/mcp", replicas: ["http://127.0.0.1:10/mcp"] },
      },
    });
    expect(pool.status).toBe(201);
    const local = await call(createUpstream, ownerToken, {
      params,
      body: { name: "local", config: { transport: "stdio", command: "true", stateful: true } },
    });
    expect(local.status).toBe(201);
    const key = await call(createApiKey, ownerToken, { params, body: { name: "client" } });
    expect(key.status).toBe(201);

    const context = cp.getControlPlane();
    const snapshot = await context.publish({ kind: "system", name: "transports-test" });
    const payload = JSON.parse(Buffer.from(snapshot.jws.split(".")[1] ?? "", "base64url").toString("utf8"));
    const tenant = payload.tenants.find((t: { id: string }) => t.id === tenantId);
    const byName = Object.fromEntries(tenant.upstreams.map((u: { name: string }) => [u.name, u]));
    expect(byName.legacy).toMatchObject({ transport: "sse", url: sse.url });
    expect(byName.pool).toMatchObject({ transport: "http", replicas: ["http://127.0.0.1:10/mcp"] });
    expect(byName.local).toMatchObject({ transport: "stdio", command: "true", stateful: true });

    await context.reconcileNow();
    const names = async () =>
      ((await mcp(plane, String(key.json.key), "tools/list")).body.result?.tools ?? []).map((tool) => tool.name);
    for (let i = 0; i < 200 && !(await names()).includes("legacy__echo"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await names()).toContain("legacy__echo");
    const echoed = await mcp(plane, String(key.json.key), "tools/call", {
      name: "legacy__echo",
      arguments: { message: "hi" },
    });
    expect(JSON.stringify(echoed.body.result?.content)).toContain("sse:hi");
  });

  it("refuses options a transport does not have, and changes nothing", async () => {
    const before = await call(listUpstreams, ownerToken, { params: { tenantId } });
    for (const config of [
      // Replicas are Streamable HTTP's; an SSE stream is one endpoint.
      { transport: "sse", url: "http://127.0.0.1:9/sse", replicas: ["http://127.0.0.1:10/sse"] },
      { transport: "sse", url: "ftp://127.0.0.1/sse" },
      { transport: "sse", command: "true" },
      { transport: "websocket", url: "ws://127.0.0.1:9/" },
    ]) {
      const refused = await call(createUpstream, ownerToken, { params: { tenantId }, body: { name: "bad", config } });
      expect(refused.status, JSON.stringify(config)).toBe(400);
    }
    expect(await call(listUpstreams, ownerToken, { params: { tenantId } })).toEqual(before);
  });
});

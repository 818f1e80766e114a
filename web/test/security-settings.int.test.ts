import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as cp from "@only1mcp/control-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type DataPlaneProcess, startDataPlaneProcess } from "../../control-plane/src/testing/data-plane-process.ts";
import { createTestDatabase } from "../../control-plane/src/testing/postgres-test-database.ts";
import { SEED_SECURITY_BLOCK as SEED_BLOCK } from "../../data-plane/src/testing/seed-security-block.ts";
import { createApiKey } from "../src/keys/api-key-operations.ts";
import { createPolicy } from "../src/policies/policy-operations.ts";
import { getSecuritySettings, putSecuritySettings } from "../src/security/security-settings-operations.ts";
import { call, mcp } from "./api-test-client.ts";

describe("security settings and key roles: console API → publish → data plane", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let plane: DataPlaneProcess;
  let ownerToken: string;
  let tenantId: string;

  const publish = async () => {
    const context = cp.getControlPlane();
    const snapshot = await context.publish({ kind: "system", name: "security-test" });
    await context.reconcileNow();
    for (let i = 0; i < 100; i++) {
      const status = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { snapshotVersion: number };
      if (status.snapshotVersion === snapshot.version) return snapshot;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("the data plane did not apply the published snapshot");
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const dataDir = mkdtempSync(path.join(tmpdir(), "only1mcp-security-"));
    await cp.ensureSigningKey(dataDir);
    plane = await startDataPlaneProcess({
      ONLY1MCP_TRUSTED_KEYS_FILE: path.join(dataDir, cp.TRUSTED_KEYS_FILE),
      DATA_PLANE_STATE_DIR: mkdtempSync(path.join(tmpdir(), "only1mcp-security-plane-")),
    });
    await cp.startControlPlane({
      ...process.env,
      DATABASE_URL: database.url,
      ONLY1MCP_DATA_DIR: dataDir,
      ONLY1MCP_DATA_PLANE_URLS: plane.url,
      REDIS_URL: "",
    });
    const { db } = cp.getControlPlane();
    const system = { kind: "system" as const, name: "security-test" };
    const owner = await cp.createOperator(db, { email: "sec-owner@example.com", name: "Owner", role: "owner" }, system);
    ownerToken = (await cp.issueOperatorToken(db, { operatorId: owner.id, name: "owner" }, system)).token;
    tenantId = (await db.tenant.findUniqueOrThrow({ where: { slug: "demo" } })).id;
  });

  afterAll(async () => {
    await cp.stopControlPlane();
    await plane?.stop();
    await database?.drop();
  });

  it("issues keys with roles that the data plane's policies bind to, per key", async () => {
    const reader = await call(createApiKey, ownerToken, {
      params: { tenantId },
      body: { name: "reader", roles: ["reader"] },
    });
    expect(reader.status).toBe(201);
    expect(reader.json.roles).toEqual(["reader"]);
    const plain = await call(createApiKey, ownerToken, { params: { tenantId }, body: { name: "plain" } });
    expect(plain.status).toBe(201);
    const bad = await call(createApiKey, ownerToken, {
      params: { tenantId },
      body: { name: "bad", roles: ["no spaces"] },
    });
    expect(bad.status).toBe(400);

    const policy = await call(createPolicy, ownerToken, {
      params: { tenantId },
      body: {
        name: "readers echo only",
        rules: {
          appliesTo: { roles: ["reader"] },
          rules: [{ action: "call", subject: "Tool", conditions: { originalName: "echo" } }],
        },
      },
    });
    expect(policy.status).toBe(201);
    const snapshot = await publish();
    const payload = JSON.parse(Buffer.from(snapshot.jws.split(".")[1] ?? "", "base64url").toString("utf8"));
    const tenant = payload.tenants.find((t: { id: string }) => t.id === tenantId);
    expect(tenant.apiKeys.find((k: { id: string }) => k.id === reader.json.id).roles).toEqual(["reader"]);

    const names = async (key: string) => {
      const answer = await mcp(plane, key, "tools/list");
      return (answer.body.result?.tools ?? []).map((tool) => tool.name);
    };
    // Wait for the stdio upstream's tool list.
    for (let i = 0; i < 200 && !(await names(String(plain.json.key))).includes("everything__echo"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await names(String(reader.json.key))).toEqual(["everything__echo"]);
    expect((await names(String(plain.json.key))).length).toBeGreaterThan(3);
    const denied = await mcp(plane, String(reader.json.key), "tools/call", {
      name: "everything__get-sum",
      arguments: { a: 1, b: 2 },
    });
    // A tool the key may not call answers like an unknown one.
    expect(denied.body.error?.code).toBe(-32602);
    const allowed = await mcp(plane, String(reader.json.key), "tools/call", {
      name: "everything__echo",
      arguments: { message: "hi" },
    });
    expect(JSON.stringify(allowed.body.result)).toContain("hi");
  });

  it("refuses a block with a misspelt key and changes nothing", async () => {
    const typo = await call(putSecuritySettings, ownerToken, {
      body: { security: { rate_limiting: { per_client_limt: 5 } } },
    });
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.json)).toContain("per_client_limt");
    expect((await call(getSecuritySettings, ownerToken)).json.security).toBeNull();
  });

  it("takes the seed's block pasted as written, publishes it one-to-one, and the data plane enforces its limits", async () => {
    const document = parse(SEED_BLOCK) as Record<string, unknown>;
    const put = await call(putSecuritySettings, ownerToken, { body: document });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    const stored = await call(getSecuritySettings, ownerToken);
    expect(stored.json.security).toMatchObject(document.security as object);
    expect(stored.json.observability).toMatchObject(document.observability as object);

    const snapshot = await publish();
    const payload = JSON.parse(Buffer.from(snapshot.jws.split(".")[1] ?? "", "base64url").toString("utf8"));
    expect(payload.security).toMatchObject(document.security as object);
    expect(payload.observability).toEqual({
      audit: {
        enabled: true,
        events: ["authentication", "authorization", "configuration_change", "server_access", "admin_actions"],
        retention: "365d",
      },
    });

    // per_client_limit: 1000 requests per window per key; the 1001st is refused.
    const { db } = cp.getControlPlane();
    const system = { kind: "system" as const, name: "security-test" };
    const first = await cp.issueApiKey(db, { tenantId, name: "limited" }, system);
    const second = await cp.issueApiKey(db, { tenantId, name: "other client" }, system);
    await publish();
    let accepted = 0;
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(Array.from({ length: 100 }, () => mcp(plane, first.key, "ping")));
      accepted += answers.filter((answer) => answer.status === 200).length;
    }
    expect(accepted).toBe(1000);
    const refused = await mcp(plane, first.key, "ping");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.body.error?.data).toMatchObject({ code: "RATE_LIMITED" });
    // Per client, not global: another key still passes (global_limit is 10000).
    expect((await mcp(plane, second.key, "ping")).status).toBe(200);
  });
});

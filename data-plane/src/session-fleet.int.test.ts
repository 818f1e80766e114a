import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AskingUpstream, startAskingHttpUpstream } from "./testing/asking-http-upstream.ts";
import { type RunningPlane, waitFor } from "./testing/process.ts";
import { initializeSession, type TenantFixture, tenantFixture } from "./testing/tenant-plane.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Sessions across a fleet: replicas sharing the session secret and Redis serve each
 * other's sessions, and a DELETE on any replica ends the session on all of them —
 * including a replica that starts after the DELETE.
 */
describe("session DELETE accepted on any replica", () => {
  const prefix = `o1test-sessions-${randomBytes(4).toString("hex")}`;
  const secret = randomBytes(32).toString("base64url");
  let tenant: TenantFixture;
  let http: AskingUpstream;
  let key: string;
  const planes: RunningPlane[] = [];

  const start = async (name: string) => {
    const env = { DATA_PLANE_SESSION_SECRET: secret, REDIS_URL, ONLY1MCP_REDIS_PREFIX: prefix };
    const plane = await tenant.start(env, name);
    planes.push(plane);
    await waitFor(async () => ((await fetch(`${plane.url}/readyz`)).status === 200 ? true : undefined), "ready");
    return plane;
  };
  const post = (plane: RunningPlane, body: unknown, sessionId?: string) =>
    fetch(`${plane.url}/mcp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...(sessionId ? { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" } : {}),
      },
      body: JSON.stringify(body),
    });
  const ping = (plane: RunningPlane, sessionId: string) =>
    post(plane, { jsonrpc: "2.0", id: 9, method: "ping" }, sessionId).then((r) => r.status);

  beforeAll(async () => {
    http = await startAskingHttpUpstream();
    tenant = await tenantFixture("fleet", [{ id: "u_ask", name: "asker", transport: "http", url: http.url }]);
    key = tenant.key;
  });

  afterAll(async () => {
    await Promise.allSettled(planes.map((p) => p.stop()));
    await http?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it("ends on every replica when deleted on one, also for a replica started later", async () => {
    const a = await start("a");
    const b = await start("b");
    const sessionId = await initializeSession(a, key);
    expect(sessionId).not.toBe("");
    // Any replica serves it.
    expect(await ping(a, sessionId)).toBe(200);
    expect(await ping(b, sessionId)).toBe(200);

    // DELETE on b (not the replica that created it)...
    const deleted = await fetch(`${b.url}/mcp`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${key}`, "mcp-session-id": sessionId },
    });
    expect(deleted.status).toBe(200);
    expect(await ping(b, sessionId)).toBe(404);
    // ...ends it on a too.
    await waitFor(async () => ((await ping(a, sessionId)) === 404 ? true : undefined), "a to refuse the session");
    // A replica that starts afterwards knows it too.
    const c = await start("c");
    await waitFor(async () => ((await ping(c, sessionId)) === 404 ? true : undefined), "c to refuse the session");
    // Another session is unaffected.
    const otherId = await initializeSession(c, key);
    expect(await ping(a, otherId)).toBe(200);
  });
});

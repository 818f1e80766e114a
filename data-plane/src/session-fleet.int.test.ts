import { randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type AskingUpstream, startAskingHttpUpstream } from "./testing/asking-http-upstream.ts";
import { hashKey, makeApiKey } from "./testing/fixtures.ts";
import { type RunningPlane, startPlane, waitFor } from "./testing/process.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Sessions across a fleet: replicas sharing the session secret and Redis serve each
 * other's sessions, and a DELETE on any replica ends the session on all of them —
 * including a replica that starts after the DELETE.
 */
describe("session DELETE accepted on any replica", () => {
  const prefix = `o1test-sessions-${randomBytes(4).toString("hex")}`;
  const secret = randomBytes(32).toString("base64url");
  let dir: string;
  let configFile: string;
  let http: AskingUpstream;
  let key: string;
  const planes: RunningPlane[] = [];

  const env = (name: string) => ({
    DATA_PLANE_STATE_DIR: path.join(dir, name),
    DATA_PLANE_SESSION_SECRET: secret,
    REDIS_URL,
    ONLY1MCP_REDIS_PREFIX: prefix,
  });
  const start = async (name: string) => {
    const plane = await startPlane(env(name), ["--config", configFile]);
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
    dir = await mkdtemp(path.join(tmpdir(), "dp-fleet-"));
    http = await startAskingHttpUpstream();
    const generated = makeApiKey();
    key = generated.key;
    configFile = path.join(dir, "config.yaml");
    await writeFile(
      configFile,
      stringify({
        schema: "snapshot.v1",
        version: 1,
        issuedAt: new Date().toISOString(),
        tenants: [
          {
            id: "ten_fleet",
            slug: "fleet",
            name: "Fleet",
            apiKeys: [{ id: "key_fleet", prefix: generated.prefix, hash: await hashKey(key, 4) }],
            upstreams: [{ id: "u_ask", name: "asker", transport: "http", url: http.url }],
          },
        ],
      }),
    );
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
    const init = await post(a, {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    });
    const sessionId = init.headers.get("mcp-session-id") ?? "";
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
    const other = await post(c, {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    });
    const otherId = other.headers.get("mcp-session-id") ?? "";
    expect(await ping(a, otherId)).toBe(200);
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect as netConnect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingCommand, hashKey, makeApiKey, payload } from "../testing/fixtures.ts";
import { type RunningPlane, startPlane, waitFor } from "../testing/process.ts";

/**
 * Hostile input against the real data plane process: every bad request gets the
 * error the DESIGN.md contract names, and the process keeps serving.
 */

const key = makeApiKey();
const limitedKey = makeApiKey();
const revokedKey = makeApiKey();
let dir: string;
let plane: RunningPlane;
let session: string;

const JSON_HEADERS = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };

async function post(body: string, headers: Record<string, string> = {}, bearer = key.key) {
  const res = await fetch(`${plane.url}/mcp`, {
    method: "POST",
    headers: { ...JSON_HEADERS, Authorization: `Bearer ${bearer}`, ...headers },
    body,
  });
  const text = await res.text();
  let json: { error?: { code: number; data?: { code: string }; message: string }; result?: unknown } | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

const call = (method: string, params?: unknown, id: number | string = 1) =>
  JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });

async function initialize(bearer: string, protocolVersion = "2025-06-18"): Promise<string> {
  const res = await post(
    call("initialize", { protocolVersion, capabilities: {}, clientInfo: { name: "h", version: "1" } }),
    {},
    bearer,
  );
  const id = res.headers.get("mcp-session-id");
  if (!id) throw new Error(`initialize failed: ${res.status} ${res.text}`);
  return id;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dp-hostile-"));
  const everything = everythingCommand();
  const config = {
    ...payload(1, [
      {
        id: "ten_h",
        slug: "h",
        name: "H",
        apiKeys: [
          { id: "key_h", prefix: key.prefix, hash: await hashKey(key.key) },
          { id: "key_limited", prefix: limitedKey.prefix, hash: await hashKey(limitedKey.key) },
        ],
        upstreams: [{ id: "ups_e", name: "everything", transport: "stdio", ...everything, env: {} }],
        policies: [
          {
            id: "pol_limited",
            name: "limited",
            rules: {
              appliesTo: { keys: ["key_limited"] },
              rateLimits: { perKey: { requests: 3, windowSeconds: 600 } },
            },
          },
        ],
      },
    ]),
    security: {
      rate_limiting: { enabled: true, global_limit: 100_000, per_client_limit: 50_000, failed_auth_limit: 1000 },
      limits: { max_body_bytes: 64 * 1024, max_json_depth: 32, upstream_timeout_ms: 30_000 },
    },
  };
  const file = path.join(dir, "config.yaml");
  await writeFile(file, JSON.stringify(config));
  plane = await startPlane({ DATA_PLANE_STATE_DIR: path.join(dir, "state") }, ["--config", file]);
  await waitFor(async () => {
    const s = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { upstreams: { state: string }[] };
    return s.upstreams[0]?.state === "ready" ? true : undefined;
  }, "upstream ready");
  session = await initialize(key.key);
}, 60_000);

afterAll(async () => {
  await plane?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("hostile input on /mcp", () => {
  it("malformed JSON → 400 -32700", async () => {
    const res = await post('{"jsonrpc":"2.0",', { "Mcp-Session-Id": session });
    expect(res.status).toBe(400);
    expect(res.json?.error?.code).toBe(-32700);
  });

  it("wrong JSON-RPC shapes → -32600 (or -32602 for array params)", async () => {
    for (const body of [
      '"x"',
      "42",
      "null",
      "{}",
      '{"jsonrpc":"1.0","id":1,"method":"ping"}',
      '{"jsonrpc":"2.0","id":1,"method":5}',
      '{"jsonrpc":"2.0","id":{},"method":"ping"}',
      "[]",
    ]) {
      const res = await post(body, { "Mcp-Session-Id": session });
      expect([400, 200], body).toContain(res.status);
      expect(res.json?.error?.code, body).toBe(-32600);
    }
    const arrayParams = await post('{"jsonrpc":"2.0","id":1,"method":"tools/list","params":[1]}', {
      "Mcp-Session-Id": session,
    });
    expect(arrayParams.json?.error?.code).toBe(-32602);
  });

  it("oversized body → 413; deeply nested body → 400 without parsing it", async () => {
    const big = await post(call("ping", { pad: "x".repeat(70 * 1024) }), { "Mcp-Session-Id": session });
    expect(big.status).toBe(413);
    expect(big.json?.error?.data?.code).toBe("PAYLOAD_TOO_LARGE");
    const deep = await post(
      `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":${"[".repeat(5000)}${"]".repeat(5000)}}}`,
      {
        "Mcp-Session-Id": session,
      },
    );
    expect(deep.status).toBe(400);
    expect(deep.json?.error?.data?.code).toBe("NESTING_TOO_DEEP");
  });

  it("unknown method → -32601; invalid tool arguments → -32602 before the upstream", async () => {
    expect((await post(call("tools/destroy"), { "Mcp-Session-Id": session })).json?.error?.code).toBe(-32601);
    const bad = await post(call("tools/call", { name: "everything__echo", arguments: { message: 42 } }), {
      "Mcp-Session-Id": session,
    });
    expect(bad.json?.error).toMatchObject({ code: -32602, message: expect.stringContaining("arguments.message") });
    const ok = await post(call("tools/call", { name: "everything__echo", arguments: { message: "hi" } }), {
      "Mcp-Session-Id": session,
    });
    expect(JSON.stringify(ok.json?.result)).toContain("hi");
  });

  it("unknown or revoked keys → 401 with the resource metadata challenge; credentials in the query → 400", async () => {
    const res = await post(call("ping"), {}, revokedKey.key);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(
      /^Bearer resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource"$/,
    );
    const wrongSecret = await post(call("ping"), {}, `${key.key.slice(0, -4)}zzzz`);
    expect(wrongSecret.status).toBe(401);
    const query = await fetch(`${plane.url}/mcp?api_key=${key.key}`, {
      method: "POST",
      headers: JSON_HEADERS,
      body: call("ping"),
    });
    expect(query.status).toBe(400);
  });

  it("a bad Origin → 403", async () => {
    const res = await post(call("ping"), { Origin: "http://evil.example", "Mcp-Session-Id": session });
    expect(res.status).toBe(403);
  });

  it("header injection: a hostile Host never reaches a response header", async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = netConnect(Number(new URL(plane.url).port), "127.0.0.1");
      let data = "";
      socket.on("data", (chunk) => {
        data += chunk.toString("latin1");
      });
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
      socket.write(
        `POST /mcp HTTP/1.1\r\nHost: evil", x="y\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
      );
    });
    expect(raw).toMatch(/^HTTP\/1\.1 401/);
    expect(raw).not.toContain("evil");
  });

  it("a session id of another shape or another key → 404; a slow client does not block others", async () => {
    expect((await post(call("ping"), { "Mcp-Session-Id": "../../etc/passwd" })).status).toBe(404);
    const slow = netConnect(Number(new URL(plane.url).port), "127.0.0.1");
    await new Promise((resolve) => slow.once("connect", resolve));
    slow.write("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n");
    const res = await post(call("ping"), { "Mcp-Session-Id": session });
    expect(res.json?.result).toEqual({});
    slow.destroy();
  });

  it("a policy rate limit answers 429 with Retry-After", async () => {
    const limited = await initialize(limitedKey.key);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await post(call("ping"), { "Mcp-Session-Id": limited }, limitedKey.key);
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers.get("retry-after");
        expect(res.json?.error?.data?.code).toBe("RATE_LIMITED");
      }
    }
    expect(statuses).toEqual([200, 200, 429, 429]); // initialize spent the first of three
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await post(call("ping"), { "Mcp-Session-Id": session })).status).toBe(200); // other keys unaffected
  });

  it("property: no JSON value or byte string makes the request path crash or answer outside the contract", async () => {
    const allowed = new Set([200, 202, 400, 404, 413]);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
          fc
            .record({
              jsonrpc: fc.constantFrom("2.0", "1.0", 2),
              id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.object()),
              method: fc.oneof(
                fc.constantFrom("ping", "tools/list", "tools/call", "initialize", "resources/read"),
                fc.string(),
              ),
              params: fc.oneof(fc.object(), fc.array(fc.anything()), fc.constant(undefined), fc.string()),
            })
            .map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("latin1")),
        ),
        async (body) => {
          const res = await post(body, { "Mcp-Session-Id": session });
          expect(allowed.has(res.status), `${res.status} for ${body}`).toBe(true);
          if (res.status !== 202) expect(res.json, res.text).toBeDefined();
        },
      ),
      { numRuns: 150 },
    );
    expect((await fetch(`${plane.url}/healthz`)).status).toBe(200);
    expect(plane.proc.exitCode).toBeNull();
  });
});

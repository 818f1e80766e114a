import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../audit/record-audit-event.ts";
import { heartbeatV1Schema } from "../fleet/heartbeat-schema.ts";
import { recordHeartbeat } from "../fleet/record-heartbeat.ts";
import { issueApiKey } from "../keys/issue-api-key.ts";
import { publishState } from "../policies/publish-state.ts";
import { ensureSigningKey, type SigningKey, TRUSTED_KEYS_FILE } from "../signing/signing-key.ts";
import { trustedPublicKeys } from "../signing/signing-keyring.ts";
import { publishSnapshot } from "../snapshots/publish-snapshot.ts";
import { SecretsKeyRequiredError } from "../snapshots/seal-upstream-secrets.ts";
import { startSnapshotReconciler } from "../snapshots/snapshot-reconciler.ts";
import { createTenant } from "../tenants/create-tenant.ts";
import { type DataPlaneProcess, startDataPlaneProcess, waitUntil } from "../testing/data-plane-process.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";
import { createUpstream } from "../upstreams/create-upstream.ts";
import { ensureSecretsKey, type SecretsKey } from "./secrets-key.ts";
import { storeSecret } from "./store-secret.ts";

const actor: Actor = { kind: "system", name: "secrets-delivery-test" };
const NODE_TOKEN = "test-node-token-secrets-0123456789";
// Planted values: none may appear in the snapshot, the last-known-good file, logs or audit.
const STORED = "planted-stored-secret-7c1f9a";
const ROTATED = "planted-rotated-secret-5e2d44";
const INLINE_ENV = "planted-inline-env-3b8e10";
const INLINE_HEADER = "planted-inline-header-9d0a27";

/** An SDK (v1) MCP server over Streamable HTTP that records the headers it was called with. */
async function startHeaderRecordingUpstream() {
  const seen: IncomingHttpHeaders[] = [];
  const http: Server = createServer(async (req, res) => {
    seen.push(req.headers);
    const server = new McpServer({ name: "remote", version: "1.0.0" });
    server.registerTool("ping", { description: "pong" }, async () => ({ content: [{ type: "text", text: "pong" }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => void transport.close());
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    seen,
    close: () => {
      http.closeAllConnections();
      return new Promise((resolve) => http.close(resolve));
    },
  };
}

describe("upstream secrets delivered sealed to a real data plane", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let stateDir: string;
  let signingKey: SigningKey;
  let secretsKey: SecretsKey;
  let tenantId: string;
  let apiKey: string;
  let remote: Awaited<ReturnType<typeof startHeaderRecordingUpstream>>;
  let heartbeatServer: Server;
  let reconciler: ReturnType<typeof startSnapshotReconciler>;
  let plane: DataPlaneProcess;
  let planeEnv: Record<string, string>;

  const status = async () =>
    (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as {
      snapshotVersion: number | null;
      upstreams: { name: string; state: string; error?: string }[];
    };
  const getEnv = async (): Promise<string> => {
    const client = new Client({ name: "secrets-test", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${plane.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
      }),
    );
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((tool) => tool.name)).toContain("remote__ping");
      await client.callTool({ name: "remote__ping", arguments: {} });
      const result = await client.callTool({ name: "everything__get-env", arguments: {} });
      return JSON.stringify(result.content);
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), "o1-secrets-cp-"));
    stateDir = mkdtempSync(path.join(tmpdir(), "o1-secrets-dp-"));
    signingKey = await ensureSigningKey(dataDir);
    secretsKey = ensureSecretsKey(dataDir);
    const { db } = database;
    tenantId = (await createTenant(db, { slug: "sealed", name: "Sealed" }, actor)).id;
    apiKey = (await issueApiKey(db, { tenantId, name: "caller" }, actor)).key;
    await storeSecret(db, secretsKey, { tenantId, name: "upstream-token", value: STORED }, actor);
    remote = await startHeaderRecordingUpstream();
    const everything = createRequire(import.meta.url).resolve("@modelcontextprotocol/server-everything/package.json");
    await createUpstream(
      db,
      {
        tenantId,
        name: "everything",
        config: {
          transport: "stdio",
          command: process.execPath,
          args: [path.join(path.dirname(everything), "dist", "index.js"), "stdio"],
          env: { UPSTREAM_TOKEN: "secret://upstream-token", PLAIN_SETTING: INLINE_ENV },
        },
      },
      actor,
    );
    await createUpstream(
      db,
      {
        tenantId,
        name: "remote",
        config: {
          transport: "http",
          url: remote.url,
          headers: { "x-upstream-token": "secret://upstream-token", "x-inline": INLINE_HEADER },
        },
      },
      actor,
    );

    heartbeatServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const parsed = heartbeatV1Schema.safeParse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        if (req.headers.authorization !== `Bearer ${NODE_TOKEN}` || !parsed.success) {
          res.writeHead(parsed.success ? 401 : 400).end();
          return;
        }
        void recordHeartbeat(db, parsed.data, { secretsKey }).then(
          (answer) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer)),
          () => res.writeHead(500).end(),
        );
      });
    });
    await new Promise<void>((resolve) => heartbeatServer.listen(0, "127.0.0.1", resolve));
    reconciler = startSnapshotReconciler(db, { intervalMs: 200 });
    planeEnv = {
      ONLY1MCP_TRUSTED_KEYS_FILE: path.join(dataDir, TRUSTED_KEYS_FILE),
      DATA_PLANE_STATE_DIR: stateDir,
      ONLY1MCP_CONTROL_PLANE_URL: `http://127.0.0.1:${(heartbeatServer.address() as AddressInfo).port}`,
      ONLY1MCP_NODE_TOKEN: NODE_TOKEN,
      DATA_PLANE_HEARTBEAT_MS: "200",
    };
    plane = await startDataPlaneProcess(planeEnv);
  });

  afterAll(async () => {
    reconciler?.stop();
    await plane?.stop();
    heartbeatServer?.closeAllConnections();
    await new Promise((resolve) => heartbeatServer?.close(resolve));
    await remote?.close();
    await database?.drop();
  });

  it("refuses to publish upstream env values without a secrets key (nothing in clear)", async () => {
    await expect(publishSnapshot(database.db, signingKey, actor)).rejects.toBeInstanceOf(SecretsKeyRequiredError);
    expect(await database.db.snapshot.count()).toBe(0);
  });

  it("seals every env and header value: none is in the signed snapshot's bytes", async () => {
    const published = await publishSnapshot(database.db, signingKey, actor, { secretsKey });
    const payloadText = Buffer.from(published.jws.split(".")[1] ?? "", "base64url").toString("utf8");
    for (const planted of [STORED, INLINE_ENV, INLINE_HEADER]) {
      expect(published.jws).not.toContain(planted);
      expect(payloadText).not.toContain(planted);
    }
    const payload = JSON.parse(payloadText) as {
      tenants: { upstreams: { name: string; env?: object; headers?: object }[]; secrets: Record<string, object> }[];
    };
    const tenant = payload.tenants[0];
    expect(tenant?.upstreams.find((u) => u.name === "everything")?.env).toEqual({
      PLAIN_SETTING: expect.stringMatching(/^secret:\/\/inline\/srv_[^/]+\/env\/PLAIN_SETTING$/),
      UPSTREAM_TOKEN: "secret://upstream-token",
    });
    expect(Object.keys(tenant?.secrets ?? {})).toHaveLength(3);
    // Fresh IVs, same state: publishing again keeps the version (the hash covers fingerprints).
    expect((await publishSnapshot(database.db, signingKey, actor, { secretsKey })).created).toBe(false);
    // The console's "unpublished changes" compiles the same way: nothing pending.
    expect((await publishState(database.db, { secretsKey })).pending).toBe(false);
    const trustedKeys = await trustedPublicKeys(dataDir, signingKey);
    const announcing = await publishSnapshot(database.db, signingKey, actor, { secretsKey, trustedKeys });
    expect(announcing.created).toBe(true);
    expect((await publishState(database.db, { secretsKey, trustedKeys })).pending).toBe(false);
  });

  it("gets the fleet data key by heartbeat and starts the stdio and HTTP upstreams with the plaintext", async () => {
    const applied = await waitUntil(async () => {
      const current = await status();
      const ready =
        current.snapshotVersion === 2 &&
        current.upstreams.length === 2 &&
        current.upstreams.every((u) => u.state === "ready");
      return ready ? current : undefined;
    }, "both upstreams ready with their secrets");
    expect(applied.snapshotVersion).toBe(2);
    const env = await getEnv();
    expect(env).toContain(STORED);
    expect(env).toContain(INLINE_ENV);
    expect(remote.seen.some((h) => h["x-upstream-token"] === STORED && h["x-inline"] === INLINE_HEADER)).toBe(true);

    // On disk: the last-known-good snapshot without a secret; keys private to the node.
    const lkg = readFileSync(path.join(stateDir, "last-known-good.jws"), "utf8");
    const lkgPayload = Buffer.from(lkg.split(".")[1] ?? "", "base64url").toString("utf8");
    const wrappedKeys = readFileSync(path.join(stateDir, "data-keys.jwe"), "utf8");
    for (const planted of [STORED, INLINE_ENV, INLINE_HEADER]) {
      expect(lkg + lkgPayload + wrappedKeys).not.toContain(planted);
      expect(plane.logs.join("\n")).not.toContain(planted);
      expect(JSON.stringify(await database.db.auditEvent.findMany())).not.toContain(planted);
    }
    expect(statSync(path.join(stateDir, "node-key.json")).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(stateDir, "data-keys.jwe")).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(stateDir, "last-known-good.jws")).mode & 0o777).toBe(0o600);
  });

  it("restarts the upstream when the stored secret changes, and serves it after a restart without the control plane", async () => {
    await storeSecret(database.db, secretsKey, { tenantId, name: "upstream-token", value: ROTATED }, actor);
    const next = await publishSnapshot(database.db, signingKey, actor, { secretsKey });
    expect(next.created).toBe(true);
    expect(next.jws).not.toContain(ROTATED);
    await waitUntil(async () => ((await status()).snapshotVersion === next.version ? true : undefined), "v2 applied");
    const rotated = await waitUntil(async () => {
      const env = await getEnv();
      return env.includes(ROTATED) ? env : undefined;
    }, "the upstream restarted with the new value");
    expect(rotated).not.toContain(STORED);

    // No control plane: the node opens its last-known-good with the data keys it kept (wrapped).
    await plane.stop();
    const { ONLY1MCP_CONTROL_PLANE_URL: _cp, ...standalone } = planeEnv;
    plane = await startDataPlaneProcess(standalone);
    await waitUntil(
      async () => ((await status()).upstreams.every((u) => u.state === "ready") ? true : undefined),
      "upstreams ready after restart",
    );
    expect(await getEnv()).toContain(ROTATED);
  });
});

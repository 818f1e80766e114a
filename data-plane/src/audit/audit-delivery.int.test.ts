import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "../snapshots/canonical.ts";
import { everythingCommand, hashKey, makeApiKey, payload } from "../testing/fixtures.ts";
import { type RunningPlane, startPlane, waitFor } from "../testing/process.ts";
import { type AuditEventV1, auditBatchV1Schema } from "./audit-event-schema.ts";

/**
 * The control plane's side of the audit contract, implemented for real on node:http:
 * POST /api/v1/fleet/audit, Bearer node token, body AuditBatchV1 (validated with the
 * shared schema), answer 200 { accepted, duplicates }, idempotent by event id.
 */
class AuditReceiver {
  readonly events = new Map<string, AuditEventV1>();
  readonly rawBodies: string[] = [];
  rejected = 0;
  private server: Server | undefined;

  constructor(private readonly token: string) {}

  async listen(port = 0): Promise<number> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        const parsed = auditBatchV1Schema.safeParse(safeJson(body));
        if (req.method !== "POST" || req.url !== "/api/v1/fleet/audit") return this.answer(res, 404, {});
        if (req.headers.authorization !== `Bearer ${this.token}`) return this.answer(res, 401, {});
        if (!parsed.success) {
          this.rejected++;
          return this.answer(res, 400, { message: parsed.error.message });
        }
        this.rawBodies.push(body);
        let accepted = 0;
        let duplicates = 0;
        for (const event of parsed.data.events) {
          if (this.events.has(event.id)) duplicates++;
          else {
            accepted++;
            this.events.set(event.id, event);
          }
        }
        this.answer(res, 200, { accepted, duplicates });
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  find(predicate: (e: AuditEventV1) => boolean): AuditEventV1[] {
    return [...this.events.values()].filter(predicate);
  }

  private answer(res: import("node:http").ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const NODE_TOKEN = "node-token-for-audit-test";
const key = makeApiKey();
const receiver = new AuditReceiver(NODE_TOKEN);
let port: number;
let dir: string;
let plane: RunningPlane;
let session: string;

async function post(body: unknown, bearer: string | null = key.key) {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (session) headers["Mcp-Session-Id"] = session;
  const res = await fetch(`${plane.url}/mcp`, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, sessionId: res.headers.get("mcp-session-id"), json: (await res.json()) as unknown };
}

const echo = (message: string) => ({
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "everything__echo", arguments: { message } },
});

beforeAll(async () => {
  port = await receiver.listen();
  dir = await mkdtemp(path.join(tmpdir(), "dp-audit-"));
  const config = payload(1, [
    {
      id: "ten_audit",
      slug: "audit",
      name: "Audit",
      apiKeys: [{ id: "key_audit", prefix: key.prefix, hash: await hashKey(key.key) }],
      upstreams: [{ id: "ups_e", name: "everything", transport: "stdio", ...everythingCommand(), env: {} }],
      policies: [{ id: "pol", name: "no-env", rules: { tools: { deny: ["*get-env*"] } } }],
    },
  ]);
  const file = path.join(dir, "config.yaml");
  await writeFile(file, JSON.stringify(config));
  plane = await startPlane(
    {
      DATA_PLANE_STATE_DIR: path.join(dir, "state"),
      ONLY1MCP_CONTROL_PLANE_URL: `http://127.0.0.1:${port}`,
      ONLY1MCP_NODE_TOKEN: NODE_TOKEN,
      DATA_PLANE_NODE_ID: "node-audit-test",
      DATA_PLANE_AUDIT_FLUSH_MS: "100",
    },
    ["--config", file],
  );
  await waitFor(async () => {
    const s = (await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as { upstreams: { state: string }[] };
    return s.upstreams[0]?.state === "ready" ? true : undefined;
  }, "upstream ready");
  const init = await post({
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "a", version: "1" } },
  });
  session = init.sessionId ?? "";
}, 60_000);

afterAll(async () => {
  await plane?.stop();
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

describe("audit events from the data plane", () => {
  it("records authentication, authorization and call decisions; arguments only as a hash", async () => {
    expect((await post({ jsonrpc: "2.0", id: 1, method: "ping" }, null)).status).toBe(401);
    await post(echo("TOPSECRET-123"));
    await post({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "everything__get-env", arguments: {} } });

    const call = await waitFor(
      async () => receiver.find((e) => e.kind === "call" && e.tool === "everything__echo")[0],
      "the call event",
    );
    expect(call).toMatchObject({
      nodeId: "node-audit-test",
      tenantId: "ten_audit",
      keyId: "key_audit",
      server: "everything",
      originalTool: "echo",
      decision: "allow",
      code: "OK",
      method: "tools/call",
    });
    expect(call.argsSha256).toBe(sha256Hex(canonicalJson({ message: "TOPSECRET-123" })));
    expect(call.latencyMs).toBeGreaterThanOrEqual(0);

    const denied = await waitFor(
      async () => receiver.find((e) => e.kind === "authorization" && e.decision === "deny")[0],
      "the denial",
    );
    expect(denied).toMatchObject({ tool: "everything__get-env", code: "FORBIDDEN", keyId: "key_audit" });
    expect(receiver.find((e) => e.kind === "authentication" && e.code === "MISSING")).toHaveLength(1);
    expect(receiver.find((e) => e.kind === "authentication" && e.code === "VALID").length).toBeGreaterThanOrEqual(3);
    expect(receiver.find((e) => e.kind === "authorization" && e.code === "ALLOWED").length).toBeGreaterThanOrEqual(1);
    expect(receiver.rawBodies.join("")).not.toContain("TOPSECRET");
    expect(receiver.rawBodies.join("")).not.toContain(key.key);
    expect(receiver.rejected).toBe(0);
  });

  it("spools to disk while the control plane is unreachable and delivers later, none lost", async () => {
    await receiver.close();
    const messages = Array.from({ length: 5 }, (_, i) => `offline-${i}`);
    for (const m of messages) await post(echo(m));
    const spoolDir = path.join(dir, "state", "audit-spool");
    await waitFor(
      async () => ((await readdir(spoolDir).catch(() => [])).length > 0 ? true : undefined),
      "a spool file",
    );

    await receiver.listen(port);
    const hashes = new Set(messages.map((m) => sha256Hex(canonicalJson({ message: m }))));
    await waitFor(
      async () =>
        receiver.find((e) => e.kind === "call" && e.argsSha256 !== null && hashes.has(e.argsSha256)).length === 5
          ? true
          : undefined,
      "every spooled call event",
    );
    await waitFor(
      async () => ((await readdir(spoolDir)).filter((f) => f.endsWith(".json")).length === 0 ? true : undefined),
      "an empty spool",
    );
    expect(receiver.rejected).toBe(0);
  });
});

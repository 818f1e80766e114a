import { beforeEach, describe, expect, it } from "vitest";
import type { UpstreamConnection } from "../upstreams/connection.ts";
import type { ToolRoute } from "../upstreams/manager.ts";
import type { RpcReply } from "../upstreams/rpc-peer.ts";
import { McpEndpoint } from "./endpoint.ts";
import type { ToolCatalog } from "./handlers.ts";
import { SessionStore } from "./sessions.ts";

type FakeUpstream = { name: string; state: "ready" | "down"; call: (tool: string, args: unknown) => Promise<RpcReply> };

function catalogOf(upstreams: FakeUpstream[]): ToolCatalog {
  const asConnection = (u: FakeUpstream) =>
    ({
      def: { name: u.name },
      state: u.state,
      error: u.state === "down" ? "process exited" : undefined,
      forward: (_method: string, params: { name: string; arguments?: unknown }) =>
        u.call(params.name, params.arguments),
    }) as unknown as UpstreamConnection;
  return {
    listTools: () =>
      upstreams
        .filter((u) => u.state === "ready")
        .map((u) => ({ name: `${u.name}__echo`, inputSchema: { type: "object" } })),
    resolveTool: (_t, name): ToolRoute | undefined => {
      const u = upstreams.find((x) => x.state === "ready" && name === `${x.name}__echo`);
      return u ? { connection: asConnection(u), toolName: "echo" } : undefined;
    },
    upstreamForToolName: (_t, name) => {
      const u = upstreams.find((x) => name.startsWith(`${x.name}__`));
      return u ? asConnection(u) : undefined;
    },
  };
}

const alice = { tenantId: "ten_a", keyId: "key_a" };
const bob = { tenantId: "ten_b", keyId: "key_b" };
const init = (id: number | string = 1, protocolVersion = "2025-06-18") => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion, capabilities: {}, clientInfo: { name: "t", version: "1" } },
});

describe("McpEndpoint", () => {
  let endpoint: McpEndpoint;
  let sid: string;

  beforeEach(async () => {
    endpoint = new McpEndpoint(
      catalogOf([
        {
          name: "good",
          state: "ready",
          call: async (tool, args) => ({
            result: { content: [{ type: "text", text: `${tool}:${JSON.stringify(args)}` }] },
          }),
        },
        { name: "dead", state: "down", call: async () => ({ result: {} }) },
        {
          name: "picky",
          state: "ready",
          call: async () => ({ error: { code: -32602, message: "message is required" } }),
        },
      ]),
      new SessionStore(),
    );
    const reply = await endpoint.post(alice, {}, init());
    sid = reply.sessionId ?? "";
  });

  it("initialize echoes a supported version, falls back to the latest otherwise, and issues a session", async () => {
    expect(sid).toMatch(/^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{43}$/);
    const old = await endpoint.post(alice, {}, init(2, "2025-03-26"));
    expect(old.body).toMatchObject({ result: { protocolVersion: "2025-03-26", serverInfo: { name: "only1mcp" } } });
    const future = await endpoint.post(alice, {}, init(3, "2099-01-01"));
    expect(future.body).toMatchObject({
      result: { protocolVersion: "2025-11-25", capabilities: { tools: { listChanged: true } } },
    });
    const bad = await endpoint.post(alice, {}, { jsonrpc: "2.0", id: 4, method: "initialize", params: {} });
    expect(bad).toMatchObject({ status: 200, body: { id: 4, error: { code: -32602 } } });
    expect(bad.sessionId).toBeUndefined();
  });

  it("maps wrong shapes to -32600 with HTTP 400", async () => {
    for (const body of [
      42,
      "x",
      null,
      {},
      { jsonrpc: "1.0", id: 1, method: "ping" },
      { jsonrpc: "2.0", id: 1 },
      { jsonrpc: "2.0", id: {}, method: "ping" },
      { jsonrpc: "2.0", id: 1, method: "ping", params: 5 },
      [],
    ]) {
      const reply = await endpoint.post(alice, { sessionId: sid }, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body, JSON.stringify(body)).toMatchObject({ jsonrpc: "2.0", error: { code: -32600 } });
    }
  });

  it("maps an unknown method to -32601 and bad params to -32602, keeping the request id", async () => {
    expect(
      await endpoint.post(alice, { sessionId: sid }, { jsonrpc: "2.0", id: "a", method: "tasks/list" }),
    ).toMatchObject({
      status: 200,
      body: { id: "a", error: { code: -32601, data: { code: "METHOD_NOT_FOUND" } } },
    });
    for (const params of [undefined, { name: 5 }, { name: "good__echo", arguments: [1] }]) {
      expect(
        await endpoint.post(alice, { sessionId: sid }, { jsonrpc: "2.0", id: 7, method: "tools/call", params }),
      ).toMatchObject({
        body: { id: 7, error: { code: -32602 } },
      });
    }
    expect(
      await endpoint.post(alice, { sessionId: sid }, { jsonrpc: "2.0", id: 8, method: "tools/call", params: [] }),
    ).toMatchObject({
      body: { id: 8, error: { code: -32602 } },
    });
  });

  it("requires a session, and treats another tenant's session as not found", async () => {
    const ping = { jsonrpc: "2.0", id: 1, method: "ping" };
    expect(await endpoint.post(alice, {}, ping)).toMatchObject({
      status: 400,
      body: { error: { code: -32600 } },
    });
    expect(await endpoint.post(alice, { sessionId: "nope" }, ping)).toMatchObject({ status: 404 });
    expect(await endpoint.post(bob, { sessionId: sid }, ping)).toMatchObject({ status: 404 });
    expect(await endpoint.post(alice, { sessionId: sid }, ping)).toMatchObject({
      status: 200,
      body: { id: 1, result: {} },
    });
    expect(endpoint.delete(bob, sid)).toMatchObject({ status: 404 });
    expect(endpoint.delete(alice, sid)).toEqual({ status: 200 });
    expect(await endpoint.post(alice, { sessionId: sid }, ping)).toMatchObject({ status: 404 });
  });

  it("acknowledges notifications and client responses with 202 and no body", async () => {
    expect(
      await endpoint.post(alice, { sessionId: sid }, { jsonrpc: "2.0", method: "notifications/initialized" }),
    ).toEqual({
      status: 202,
    });
    expect(await endpoint.post(alice, { sessionId: sid }, { jsonrpc: "2.0", id: 3, result: {} })).toEqual({
      status: 202,
    });
  });

  it("lists and routes tools by prefix, and reports unknown tools and down upstreams clearly", async () => {
    const list = await endpoint.post(alice, { sessionId: sid }, { jsonrpc: "2.0", id: 1, method: "tools/list" });
    expect(list.body).toMatchObject({ result: { tools: [{ name: "good__echo" }, { name: "picky__echo" }] } });
    const call = await endpoint.post(
      alice,
      { sessionId: sid },
      {
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "good__echo", arguments: { m: 1 } },
      },
    );
    expect(call.body).toEqual({ jsonrpc: "2.0", id: 2, result: { content: [{ type: "text", text: 'echo:{"m":1}' }] } });
    const unknown = await endpoint.post(
      alice,
      { sessionId: sid },
      {
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "nope__x" },
      },
    );
    expect(unknown.body).toMatchObject({
      error: { code: -32602, message: expect.stringContaining("unknown tool 'nope__x'") },
    });
    const down = await endpoint.post(
      alice,
      { sessionId: sid },
      {
        jsonrpc: "2.0",
        id: 4,
        method: "tools/call",
        params: { name: "dead__echo" },
      },
    );
    expect(down.body).toMatchObject({
      error: {
        code: -32603,
        message: expect.stringContaining("upstream 'dead' is unavailable"),
        data: { code: "UPSTREAM_UNAVAILABLE" },
      },
    });
    const upstreamError = await endpoint.post(
      alice,
      { sessionId: sid },
      {
        jsonrpc: "2.0",
        id: 5,
        method: "tools/call",
        params: { name: "picky__echo" },
      },
    );
    expect(upstreamError.body).toEqual({
      jsonrpc: "2.0",
      id: 5,
      error: { code: -32602, message: "message is required" },
    });
  });

  it("answers batches element by element and refuses initialize inside one", async () => {
    const reply = await endpoint.post(alice, { sessionId: sid }, [
      { jsonrpc: "2.0", id: 1, method: "ping" },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 2, method: "nope" },
      init(3),
      7,
    ]);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([
      { jsonrpc: "2.0", id: 1, result: {} },
      { jsonrpc: "2.0", id: 2, error: expect.objectContaining({ code: -32601 }) },
      { jsonrpc: "2.0", id: 3, error: expect.objectContaining({ code: -32600 }) },
      { jsonrpc: "2.0", id: null, error: expect.objectContaining({ code: -32600 }) },
    ]);
  });
});

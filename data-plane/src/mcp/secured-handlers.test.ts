import { describe, expect, it } from "vitest";
import { PolicyEngine } from "../policy/compile-policies.ts";
import type { PolicyDocumentInput } from "../policy/policy-schema.ts";
import { snapshotPayloadSchema } from "../snapshots/schema.ts";
import { payload } from "../testing/fixtures.ts";
import type { UpstreamConnection } from "../upstreams/connection.ts";
import type { TenantView, ToolRoute } from "../upstreams/manager.ts";
import type { RpcReply } from "../upstreams/rpc-peer.ts";
import { McpEndpoint } from "./endpoint.ts";
import { PROTOCOL_VERSION_META_KEY } from "./era.ts";
import { type CallContext, callTool, getPrompt, listPage, type ToolCatalog } from "./handlers.ts";
import { SessionStore } from "./sessions.ts";

// Security's checks around protocol's lean forward path: policy on prompts, the
// transparency fallback only for unrestricted callers, argument errors per era.

type Forwarded = { method: string; params: Record<string, unknown> };

function fakeCatalog(prefix: string): { catalog: ToolCatalog; forwarded: Forwarded[] } {
  const forwarded: Forwarded[] = [];
  const connection = {
    def: { name: "files", prefix },
    state: "ready",
    forward: async (method: string, params: Record<string, unknown>): Promise<RpcReply> => {
      forwarded.push({ method, params });
      return { result: { content: [{ type: "text", text: "ok" }] } };
    },
  } as unknown as UpstreamConnection;
  const p = prefix === "" ? "" : `${prefix}__`;
  const tools = [
    {
      name: `${p}write`,
      inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
    },
  ];
  const route: ToolRoute = { connection, toolName: "write" };
  const view = {
    tools,
    routes: new Map([[`${p}write`, route]]),
    prompts: [{ name: `${p}secret` }, { name: `${p}public` }],
    promptRoutes: new Map([
      [`${p}secret`, { connection, toolName: "secret" }],
      [`${p}public`, { connection, toolName: "public" }],
    ]),
    resources: [],
    resourceRoutes: new Map(),
    resourceTemplates: [],
    templateRoutes: [],
    clashes: [],
  } as TenantView;
  const catalog: ToolCatalog = {
    listTools: () => tools,
    resolveTool: (_t, name) => (name === `${p}write` ? route : undefined),
    upstreamForToolName: () => undefined,
    tenantView: () => view,
    upstreamsOf: () => [connection],
  };
  return { catalog, forwarded };
}

function accessWith(rules: PolicyDocumentInput) {
  const parsed = snapshotPayloadSchema.parse(
    payload(1, [{ id: "ten_a", slug: "a", name: "A", policies: [{ id: "pol_1", name: "p", rules }] }]),
  );
  return PolicyEngine.fromPayload(parsed).accessFor("ten_a", "key_a");
}

const caller = { tenantId: "ten_a", keyId: "key_a" };

describe("security around the forward path", () => {
  it("prompts hidden by policy are neither listed nor gettable, and look unknown", async () => {
    const { catalog, forwarded } = fakeCatalog("files");
    const ctx: CallContext = { ...caller, access: accessWith({ visibility: { hide: ["*secret"] } }) };
    const listed = listPage(catalog, ctx, "prompts", undefined);
    expect(listed).toMatchObject({ ok: true, result: { prompts: [{ name: "files__public" }] } });
    const denied = await getPrompt(catalog, ctx, { name: "files__secret" });
    expect(denied).toMatchObject({
      ok: false,
      error: { code: "INVALID_PARAMS", message: "unknown prompt 'files__secret'" },
    });
    expect(await getPrompt(catalog, ctx, { name: "files__public" })).toMatchObject({ ok: true });
    expect(forwarded.map((f) => f.params.name)).toEqual(["public"]);
  });

  it("an unlisted tool name reaches the sole unprefixed upstream only when no policy restricts the caller", async () => {
    const { catalog, forwarded } = fakeCatalog("");
    expect(await callTool(catalog, caller, { name: "unlisted", arguments: {} })).toMatchObject({ ok: true });
    expect(forwarded).toHaveLength(1);
    const restricted: CallContext = { ...caller, access: accessWith({ tools: { allow: ["*"] } }) };
    expect(await callTool(catalog, restricted, { name: "unlisted", arguments: {} })).toMatchObject({
      ok: false,
      error: { code: "INVALID_PARAMS" },
    });
    expect(forwarded).toHaveLength(1);
  });

  it("reports invalid arguments as the era says: -32602 for a 2025-06-18 session, isError for 2026-07-28", async () => {
    const { catalog, forwarded } = fakeCatalog("files");
    const endpoint = new McpEndpoint(catalog, new SessionStore());
    const init = await endpoint.post(
      caller,
      {},
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      },
    );
    const badCall = { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "files__write", arguments: {} } };
    const legacy = await endpoint.post(caller, { sessionId: init.sessionId }, badCall);
    expect(legacy.body).toMatchObject({ error: { code: -32602 } });

    const modernBody = {
      ...badCall,
      params: { ...badCall.params, _meta: { [PROTOCOL_VERSION_META_KEY]: "2026-07-28" } },
    };
    const modern = await endpoint.post(
      caller,
      { protocolVersion: "2026-07-28", method: "tools/call", name: "files__write" },
      modernBody,
    );
    expect(modern.body).toMatchObject({ result: { isError: true, resultType: "complete" } });
    expect(forwarded).toHaveLength(0);
  });
});

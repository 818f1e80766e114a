import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SseParser } from "./sse/sse-parser.ts";
import { type AskingUpstream, startAskingHttpUpstream } from "./testing/asking-http-upstream.ts";
import { everythingCommand } from "./testing/fixtures.ts";
import type { RunningPlane } from "./testing/process.ts";
import { connectLegacy, initializeSession, tenantFixture, toolText, upstreamsReady } from "./testing/tenant-plane.ts";

/**
 * Server-to-client requests through the gateway: an upstream's sampling, elicitation
 * and roots requests reach the client whose call caused them, and the client's
 * answers reach that upstream — for legacy clients on the call's SSE stream, for
 * 2026-07-28 clients as `input_required` rounds. Upstreams: server-everything over
 * stdio (SDK v1; the request carries no hint of its call, the one client with calls in
 * flight gets it) and a stateful SDK v1 HTTP server (the request travels on the answer
 * stream of the call that caused it, so routing is exact even with concurrent clients).
 */
describe("sampling, elicitation and roots routed back to the calling client", () => {
  let plane: RunningPlane;
  let apiKey: string;
  let asking: AskingUpstream;
  const clients: { close(): Promise<void> }[] = [];
  const text = toolText;

  beforeAll(async () => {
    asking = await startAskingHttpUpstream();
    const everything = everythingCommand();
    const tenant = await tenantFixture("server-requests", [
      { id: "u_every", name: "everything", transport: "stdio", command: everything.command, args: everything.args },
      { id: "u_ask", name: "asker", transport: "http", url: asking.url },
    ]);
    apiKey = tenant.key;
    plane = await tenant.start();
    // server-everything registers its sampling/elicitation/roots tools only for clients that
    // declare those capabilities: the gateway does, so they are listed.
    await upstreamsReady(plane, 2);
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await plane?.stop();
    await asking?.close();
  });

  /** A legacy (SDK v1) client that answers sampling, elicitation and roots with its own marker. */
  function answeringClient(marker: string): Client {
    const client = new Client(
      { name: `legacy-${marker}`, version: "1" },
      { capabilities: { sampling: {}, elicitation: { form: {} }, roots: {} } },
    );
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
      model: `model-${marker}`,
      role: "assistant",
      content: { type: "text", text: `sampled-by-${marker}:${JSON.stringify(request.params.messages[0]?.content)}` },
    }));
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { ok: true } }));
    client.setRequestHandler(ListRootsRequestSchema, async () => ({
      roots: [{ uri: `file:///work/${marker}`, name: marker }],
    }));
    clients.push(client);
    return client;
  }

  async function legacyClient(marker: string): Promise<Client> {
    return (await connectLegacy(plane, apiKey, answeringClient(marker))).client;
  }

  it("a sampling request from a stdio upstream is answered by the client that made the call", async () => {
    const client = await legacyClient("alice");
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(["everything__trigger-sampling-request", "asker__ask"]));
    const result = await client.callTool({
      name: "everything__trigger-sampling-request",
      arguments: { prompt: "hello upstream", maxTokens: 5 },
    });
    expect(result.isError).toBeFalsy();
    // The upstream's tool result embeds what the client answered.
    expect(text(result)).toContain("sampled-by-alice");
    expect(text(result)).toContain("model-alice");
    expect(text(result)).toContain("hello upstream");
  });

  it("routes each client's sampling to that client when two sessions call at once", async () => {
    const [bob, carol] = await Promise.all([legacyClient("bob"), legacyClient("carol")]);
    const call = (client: Client, prompt: string) =>
      client.callTool({ name: "asker__ask", arguments: {} }).then((r) => ({ r, prompt }));
    // HTTP upstream: each request travels on the answer stream of the call that caused it.
    const [b, c] = await Promise.all([call(bob, "b"), call(carol, "c")]);
    expect(text(b.r)).toContain("sampled-by-bob");
    expect(text(b.r)).not.toContain("carol");
    expect(text(c.r)).toContain("sampled-by-carol");
    expect(text(c.r)).toContain("file:///work/carol");
    expect(text(c.r)).toContain('"action":"accept"');
  });

  it("an elicitation request from a stdio upstream reaches the caller", async () => {
    const client = await legacyClient("dave");
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain("everything__trigger-elicitation-request");
    const elicited = await client.callTool({ name: "everything__trigger-elicitation-request", arguments: {} });
    expect(elicited.isError).toBeFalsy();
    expect(text(elicited).toLowerCase()).toContain("accept");
  });

  it("works on the old HTTP+SSE transport (the request travels on the /sse stream)", async () => {
    const client = answeringClient("erin");
    const auth = { Authorization: `Bearer ${apiKey}` };
    await client.connect(
      new SSEClientTransport(new URL(`${plane.url}/sse`), {
        requestInit: { headers: auth },
        eventSourceInit: { fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, ...auth } }) },
      }),
    );
    const result = await client.callTool({
      name: "everything__trigger-sampling-request",
      arguments: { prompt: "old transport", maxTokens: 5 },
    });
    expect(text(result)).toContain("sampled-by-erin");
  });

  it("gives a 2026-07-28 client input_required rounds and resumes the upstream call with its answers", async () => {
    const client = new V2Client(
      { name: "modern", version: "1" },
      {
        versionNegotiation: { mode: { pin: "2026-07-28" } },
        capabilities: { sampling: {}, elicitation: { form: {} }, roots: {} },
      },
    );
    let sampled = 0;
    client.setRequestHandler("sampling/createMessage", async () => {
      sampled++;
      return { model: "m-modern", role: "assistant", content: { type: "text", text: "sampled-by-modern" } };
    });
    client.setRequestHandler("elicitation/create", async () => ({ action: "accept", content: { ok: true } }));
    client.setRequestHandler("roots/list", async () => ({ roots: [{ uri: "file:///work/modern", name: "m" }] }));
    await client.connect(
      new V2Transport(new URL(`${plane.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${apiKey}` } } }),
    );
    clients.push(client);
    // stdio upstream (server-everything): one sampling request mid-call.
    const viaStdio = await client.callTool({
      name: "everything__trigger-sampling-request",
      arguments: { prompt: "modern era", maxTokens: 5 },
    });
    expect(text(viaStdio)).toContain("sampled-by-modern");
    // HTTP upstream: three requests in one round.
    const viaHttp = await client.callTool({ name: "asker__ask", arguments: {} });
    expect(text(viaHttp)).toContain("sampled-by-modern");
    expect(text(viaHttp)).toContain("file:///work/modern");
    expect(sampled).toBe(2);
  });

  it("answers input_required on the wire, resumes with inputResponses, and refuses an unknown or replayed requestState", async () => {
    const headers = {
      authorization: `Bearer ${apiKey}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/call",
      "mcp-name": "everything__trigger-sampling-request",
    };
    const meta = {
      "io.modelcontextprotocol/protocolVersion": "2026-07-28",
      "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
      "io.modelcontextprotocol/clientCapabilities": { sampling: {} },
    };
    const params = {
      name: "everything__trigger-sampling-request",
      arguments: { prompt: "raw", maxTokens: 3 },
      _meta: meta,
    };
    const first = await fetch(`${plane.url}/mcp`, {
      method: "POST",
      headers,
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params }),
    });
    expect(first.status).toBe(200);
    const round = (await first.json()) as {
      result: { resultType: string; inputRequests: Record<string, { method: string }>; requestState: string };
    };
    expect(round.result.resultType).toBe("input_required");
    const [key, request] = Object.entries(round.result.inputRequests)[0] ?? [];
    expect(request?.method).toBe("sampling/createMessage");

    const unknown = await fetch(`${plane.url}/mcp`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { ...params, requestState: "nope" },
      }),
    });
    expect(await unknown.json()).toMatchObject({ id: 2, error: { code: -32602 } });

    const answered = await fetch(`${plane.url}/mcp`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: {
          ...params,
          requestState: round.result.requestState,
          inputResponses: {
            [key as string]: { model: "raw-model", role: "assistant", content: { type: "text", text: "raw-answer" } },
          },
        },
      }),
    });
    expect(answered.status).toBe(200);
    const final = (await answered.json()) as { id: number; result: { resultType: string } };
    expect(final.id).toBe(3);
    expect(final.result.resultType).toBe("complete");
    expect(JSON.stringify(final.result)).toContain("raw-answer");

    // The flow is finished: its requestState cannot be replayed.
    const replay = await fetch(`${plane.url}/mcp`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 4,
        method: "tools/call",
        params: { ...params, requestState: round.result.requestState, inputResponses: {} },
      }),
    });
    expect(await replay.json()).toMatchObject({ id: 4, error: { code: -32602 } });
  });

  it("a client without the sampling capability gets the upstream's failure, not a hang", async () => {
    const { client } = await connectLegacy(plane, apiKey);
    clients.push(client);
    // It declared no sampling at initialize: the gateway refuses the upstream's request itself
    // (the client never sees it), and the upstream's tool fails with that refusal.
    const outcome = await client
      .callTool({ name: "everything__trigger-sampling-request", arguments: { prompt: "x", maxTokens: 1 } })
      .then(
        (r) => ({ ok: true as const, r }),
        (e: Error) => ({ ok: false as const, e }),
      );
    if (outcome.ok) {
      expect(outcome.r.isError).toBe(true);
      expect(toolText(outcome.r)).toContain("did not declare the 'sampling' capability");
    } else expect(outcome.e.message).toContain("did not declare the 'sampling' capability");
  });

  it("a legacy call answered as plain JSON gets the upstream's request on its session's GET stream", async () => {
    const sessionId = await initializeSession(plane, apiKey, { sampling: {} });
    const auth = {
      authorization: `Bearer ${apiKey}`,
      "mcp-session-id": sessionId,
      "mcp-protocol-version": "2025-11-25",
    };
    // The session's GET stream; each request that arrives on it is answered with a POST.
    const abort = new AbortController();
    const seen: string[] = [];
    const stream = (async () => {
      const response = await fetch(`${plane.url}/mcp`, {
        headers: { ...auth, accept: "text/event-stream" },
        signal: abort.signal,
      });
      const parser = new SseParser((event) => {
        const message = JSON.parse(event.data) as { id?: string; method?: string };
        if (message.method === undefined || message.id === undefined) return;
        seen.push(message.method);
        void fetch(`${plane.url}/mcp`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: message.id,
            result: { model: "raw", role: "assistant", content: { type: "text", text: "via-get-stream" } },
          }),
        });
      });
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          parser.push(decoder.decode(chunk, { stream: true }));
        }
      } catch {
        // aborted
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const call = await fetch(`${plane.url}/mcp`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 5,
        method: "tools/call",
        params: { name: "everything__trigger-sampling-request", arguments: { prompt: "json only", maxTokens: 2 } },
      }),
    });
    abort.abort();
    await stream;
    expect(call.status).toBe(200);
    expect(call.headers.get("content-type")).toContain("application/json");
    const body = (await call.json()) as { id: number; result: object };
    expect(body.id).toBe(5);
    expect(toolText(body.result)).toContain("via-get-stream");
    expect(seen).toEqual(["sampling/createMessage"]);
  });
});

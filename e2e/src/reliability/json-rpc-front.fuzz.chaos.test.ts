import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFigures } from "./harness/figures.ts";
import { startLoad } from "./harness/load.ts";
import { type RunningPlane, type SignedPlane, signedPlane, waitForUpstream } from "./harness/signed-plane.ts";

const RUNS = Number(process.env.CHAOS_FUZZ_RUNS ?? 400);
// data-plane/README.md "Errors": every status /mcp may answer.
const DOCUMENTED_STATUSES = new Set([200, 202, 400, 401, 403, 404, 405, 406, 413, 415]);
const STANDARD_RPC_CODES = new Set([-32700, -32600, -32601, -32602, -32603, -32001]);
const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));

type Shape = {
  jsonrpc?: unknown;
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown };
};

/** A JSON-RPC 2.0 response object as the contract describes it. */
function expectRpcResponse(value: unknown, fromUpstream: boolean): number | undefined {
  expect(typeof value).toBe("object");
  const reply = value as Shape;
  expect(reply.jsonrpc).toBe("2.0");
  expect("result" in reply !== "error" in reply).toBe(true);
  if (reply.error) {
    expect(Number.isInteger(reply.error.code)).toBe(true);
    expect(typeof reply.error.message).toBe("string");
    // An upstream's own error passes through with its code; the gateway's are standard.
    if (!fromUpstream) expect(STANDARD_RPC_CODES.has(reply.error.code as number)).toBe(true);
    return reply.error.code as number;
  }
  return undefined;
}

describe("JSON-RPC front of the data plane under hostile input (fast-check)", () => {
  let fixture: SignedPlane;
  let plane: RunningPlane;
  let sessionId = "";

  async function initialize(): Promise<string> {
    const init = await fetch(`${plane.url}/mcp`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${fixture.apiKey}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 0,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "fuzz", version: "1" } },
      }),
    });
    return init.headers.get("mcp-session-id") ?? "";
  }

  beforeAll(async () => {
    fixture = await signedPlane();
    plane = await fixture.start();
    expect((await fixture.push(plane, 1)).status).toBe(200);
    await waitForUpstream(plane.url, "everything");
    sessionId = await initialize();
    expect(sessionId).not.toBe("");
  });

  afterAll(async () => {
    await plane?.stop();
    await fixture?.cleanup();
  });

  it("answers every request with a documented status and a well-formed body, and never dies", async () => {
    const methods = [
      "initialize",
      "ping",
      "tools/list",
      "tools/call",
      "notifications/initialized",
      "resources/list",
      "x",
    ];
    const rpc = fc.record(
      {
        jsonrpc: fc.oneof(fc.constant("2.0"), fc.jsonValue()),
        id: fc.oneof(fc.integer(), printable(12), fc.constant(null), fc.jsonValue()),
        method: fc.oneof(fc.constantFrom(...methods), printable(30), fc.jsonValue()),
        params: fc.oneof(
          fc.jsonValue(),
          fc.record({ name: fc.oneof(fc.constant("everything__echo"), printable(30)), arguments: fc.jsonValue() }),
        ),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      { weight: 5, arbitrary: rpc.map((v) => JSON.stringify(v)) },
      { weight: 2, arbitrary: fc.array(rpc, { maxLength: 5 }).map((v) => JSON.stringify(v)) },
      { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
      { weight: 1, arbitrary: fc.constantFrom("", "{", "[", "null", "[]", '{"jsonrpc":"2.0"', "\u0000", "\ufeff{}") },
    );
    // Mostly well-formed transport with hostile bodies, sometimes hostile transport too.
    const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
      fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: bad });
    const request = fc.record({
      method: mostly(fc.constant("POST"), fc.constantFrom("GET", "DELETE", "DELETE", "PUT", "PATCH", "OPTIONS")),
      auth: mostly(fc.constant("valid"), fc.constantFrom("none", "garbage", "basic")),
      garbage: printable(60),
      contentType: mostly(fc.constantFrom("application/json", "application/json; charset=utf-8"), printable(30)),
      accept: mostly(fc.constantFrom("application/json, text/event-stream", "*/*"), printable(30)),
      session: mostly(fc.constant("valid"), fc.constantFrom("none", "random")),
      randomSession: printable(40),
      protocol: mostly(fc.constantFrom(undefined, "2025-06-18"), printable(12)),
      origin: mostly(fc.constant(undefined), printable(40)),
      body,
    });

    const statuses: Record<number, number> = {};
    const rpcCodes: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { "content-type": r.contentType, accept: r.accept };
        if (r.auth === "valid") headers.authorization = `Bearer ${fixture.apiKey}`;
        if (r.auth === "garbage") headers.authorization = `Bearer ${r.garbage}`;
        if (r.auth === "basic") headers.authorization = `Basic ${Buffer.from(r.garbage).toString("base64")}`;
        if (r.session === "valid") headers["mcp-session-id"] = sessionId;
        if (r.session === "random") headers["mcp-session-id"] = r.randomSession;
        if (r.protocol !== undefined) headers["mcp-protocol-version"] = r.protocol;
        if (r.origin !== undefined) headers.origin = r.origin;
        const hasBody = r.method !== "GET" && r.method !== "OPTIONS";
        const response = await fetch(`${plane.url}/mcp`, {
          method: r.method,
          headers,
          body: hasBody ? r.body : undefined,
          signal: AbortSignal.timeout(15_000),
        });
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        expect(DOCUMENTED_STATUSES.has(response.status), `status ${response.status}`).toBe(true);
        if (r.method === "GET" && response.status === 200) {
          // A GET with a live session opens the server-to-client SSE stream, open by design:
          // it must be one, then it is closed here (reading it to the end would wait forever).
          expect(response.headers.get("content-type") ?? "").toMatch(/^text\/event-stream/);
          await response.body?.cancel();
          return;
        }
        const text = await response.text();
        if (r.method === "DELETE" && response.status === 200) {
          // The session was ended, as asked: an empty 200. Open a new one for the next runs.
          expect(text).toBe("");
          if (r.session === "valid") sessionId = await initialize();
          return;
        }
        if (response.status === 202) return;
        expect(response.headers.get("content-type") ?? "").toMatch(/^application\/json/);
        const json: unknown = JSON.parse(text);
        const replies = Array.isArray(json) ? json : [json];
        for (const reply of replies) {
          // tools/call answers come from the upstream (its own errors pass through).
          const code = expectRpcResponse(reply, r.body.includes("tools/call"));
          if (code !== undefined) rpcCodes[code] = (rpcCodes[code] ?? 0) + 1;
        }
      }),
      { numRuns: RUNS },
    );

    expect(plane.proc.exitCode).toBeNull();
    expect((await fetch(`${plane.url}/healthz`)).status).toBe(200);
    const load = startLoad({ mcpUrl: `${plane.url}/mcp`, apiKey: fixture.apiKey, ratePerSecond: 10, clients: 1 });
    await load.waitForOk(5);
    expect((await load.stop()).failed).toBe(0);
    recordFigures({
      requests: RUNS,
      "statuses seen": JSON.stringify(statuses),
      "JSON-RPC error codes seen": JSON.stringify(rpcCodes),
      "process still serving": true,
    });
  });
});

import path from "node:path";
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from "@modelcontextprotocol/client";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive, REPO_ROOT, type RunningPlane, waitFor } from "./testing/process.ts";
import { connectLegacy, planeStatus, tenantFixture, toolText, upstreamsReady } from "./testing/tenant-plane.ts";

const COUNTER = path.join(REPO_ROOT, "data-plane/src/testing/counter-upstream.ts");

/**
 * A stdio upstream whose definition says `stateful: true` gets one process per client
 * session (state never leaks between sessions); a `stateful: false` one is shared; the
 * session's process stops when the session is deleted or sits unused.
 */
describe("stateful stdio upstreams: one process per session", () => {
  let plane: RunningPlane;
  let key: string;
  const clients: { close(): Promise<void> }[] = [];
  const counter = (id: string, name: string, stateful: boolean, idleTimeoutMs?: number) => ({
    id,
    name,
    transport: "stdio",
    command: process.execPath,
    args: ["--import", "tsx", COUNTER],
    cwd: REPO_ROOT,
    stateful,
    ...(idleTimeoutMs ? { idleTimeoutMs } : {}),
  });
  const own = async () => (await planeStatus(plane)).upstreams.find((u) => u.name === "own");

  beforeAll(async () => {
    const tenant = await tenantFixture("stateful", [
      counter("u_own", "own", true, 8000),
      counter("u_shared", "shared", false),
    ]);
    key = tenant.key;
    plane = await tenant.start();
    await upstreamsReady(plane, 2);
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await plane?.stop();
  });

  async function session() {
    const connected = await connectLegacy(plane, key);
    clients.push(connected.client);
    return connected;
  }
  const count = async (client: Client | V2Client, tool: string) => {
    const [pid, n] = toolText(await client.callTool({ name: tool, arguments: {} })).split(":");
    return { pid: Number(pid), n: Number(n) };
  };

  it("gives each session its own process of a stateful server and shares a stateless one", async () => {
    const a = await session();
    const b = await session();
    const a1 = await count(a.client, "own__count");
    const b1 = await count(b.client, "own__count");
    const a2 = await count(a.client, "own__count");
    const b2 = await count(b.client, "own__count");
    expect([a1.n, a2.n, b1.n, b2.n]).toEqual([1, 2, 1, 2]);
    expect(a1.pid).toBe(a2.pid);
    expect(b1.pid).toBe(b2.pid);
    expect(a1.pid).not.toBe(b1.pid);
    const sharedPid = (await own())?.pid;
    expect([a1.pid, b1.pid]).not.toContain(sharedPid);
    expect((await own())?.sessionProcesses).toBe(2);

    // The stateless one: one process, one counter, whoever calls.
    const s1 = await count(a.client, "shared__count");
    const s2 = await count(b.client, "shared__count");
    expect(s2.pid).toBe(s1.pid);
    expect(s2.n).toBe(s1.n + 1);

    // A 2026-07-28 client has no session: it uses the shared process of the stateful server.
    const modern = new V2Client({ name: "m", version: "1" }, { versionNegotiation: { mode: { pin: "2026-07-28" } } });
    await modern.connect(
      new V2Transport(new URL(`${plane.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }),
    );
    clients.push(modern);
    expect((await count(modern, "own__count")).pid).toBe(sharedPid);

    // DELETE of a's session stops a's process; b's keeps its state.
    await a.transport.terminateSession();
    await waitFor(async () => (isAlive(a1.pid) ? undefined : true), "a's process to exit");
    expect(isAlive(b1.pid)).toBe(true);
    expect((await count(b.client, "own__count")).n).toBe(3);

    // Unused for its idleTimeoutMs (8 s; shorter reaps mid-test on a loaded machine), b's process is reaped too; its next call starts a fresh one.
    await waitFor(async () => (isAlive(b1.pid) ? undefined : true), "b's idle process to be reaped", 40_000);
    const fresh = await count(b.client, "own__count");
    expect(fresh.pid).not.toBe(b1.pid);
    expect(fresh.n).toBe(1);
  });
});

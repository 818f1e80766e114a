import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AskingUpstream, startAskingHttpUpstream } from "./testing/asking-http-upstream.ts";
import { everythingCommand } from "./testing/fixtures.ts";
import { isAlive, type RunningPlane, waitFor } from "./testing/process.ts";
import {
  connectLegacy,
  planeStatus,
  type TenantFixture,
  tenantFixture,
  toolText,
  upstreamsReady,
} from "./testing/tenant-plane.ts";

/**
 * Hot reload drains what it removes: a slow call in flight on an upstream that a new
 * configuration removes still gets its result, a new call to it is refused, and the
 * upstream is closed (its process gone) once the call is done.
 */
describe("hot reload drains removed upstreams", () => {
  let plane: RunningPlane;
  let http: AskingUpstream;
  let tenant: TenantFixture;
  let client: Client;
  const everything = everythingCommand();
  const keep = () => ({ id: "u_keep", name: "keep", transport: "http", url: http.url });
  const gone = () => ({
    id: "u_gone",
    name: "gone",
    transport: "stdio",
    command: everything.command,
    args: everything.args,
  });
  const slowHttp = () => ({ id: "u_slow", name: "slowpoke", transport: "http", url: http.url });

  beforeAll(async () => {
    http = await startAskingHttpUpstream();
    tenant = await tenantFixture("drain", [keep(), gone(), slowHttp()]);
    plane = await tenant.start();
    await upstreamsReady(plane, 3);
    ({ client } = await connectLegacy(plane, tenant.key));
  });

  afterAll(async () => {
    await client?.close();
    await plane?.stop();
    await http?.close();
  });

  it("lets calls in flight on removed upstreams finish, refuses new ones, then closes them", async () => {
    const pid = (await planeStatus(plane)).upstreams.find((u) => u.name === "gone")?.pid as number;
    expect(pid).toBeGreaterThan(0);
    // Two slow calls: one on the stdio upstream, one on the HTTP one; both are removed mid-call.
    const long = { timeout: 30_000 };
    const stdioCall = client.callTool(
      { name: "gone__trigger-long-running-operation", arguments: { duration: 2, steps: 4 } },
      undefined,
      long,
    );
    const httpCall = client.callTool({ name: "slowpoke__slow", arguments: { ms: 2000 } }, undefined, long);
    await new Promise((r) => setTimeout(r, 400));
    await tenant.writeConfig([keep()], 2);
    await upstreamsReady(plane, 1);

    // New calls never reach the removed upstreams (their tools are gone from the list).
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names.some((n) => n.startsWith("gone__") || n.startsWith("slowpoke__"))).toBe(false);
    await expect(client.callTool({ name: "gone__echo", arguments: { message: "x" } })).rejects.toThrow(/unknown tool/);
    // The stdio process is still there: its call is in flight.
    expect(isAlive(pid)).toBe(true);
    // The kept upstream serves as before.
    expect(toolText(await client.callTool({ name: "keep__echo", arguments: { message: "k" } }))).toBe("asking:k");

    const [stdioResult, httpResult] = await Promise.all([stdioCall, httpCall]);
    expect(stdioResult.isError).toBeFalsy();
    expect(toolText(stdioResult)).toContain("completed");
    expect(toolText(httpResult)).toBe("slow done");
    // Drained: the process is closed once its call is done.
    await waitFor(async () => (isAlive(pid) ? undefined : true), "the drained upstream's process to exit");
    expect(plane.logs.some((line) => line.includes("upstream drained"))).toBe(true);
  });
});

import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AskingUpstream, startAskingHttpUpstream } from "./testing/asking-http-upstream.ts";
import type { RunningPlane } from "./testing/process.ts";
import { connectLegacy, planeStatus, tenantFixture, toolText, upstreamsReady } from "./testing/tenant-plane.ts";

/**
 * A stateful HTTP upstream restarts and forgets every session: the next call gets
 * 404 for the gateway's session, and the gateway re-initialises and sends the call
 * once more, so the client sees its result, not an error.
 */
describe("an HTTP upstream that restarts (404 on its session)", () => {
  let plane: RunningPlane;
  let http: AskingUpstream;
  let client: Client;

  beforeAll(async () => {
    http = await startAskingHttpUpstream();
    const tenant = await tenantFixture("restart", [{ id: "u_ask", name: "asker", transport: "http", url: http.url }]);
    plane = await tenant.start();
    await upstreamsReady(plane, 1);
    ({ client } = await connectLegacy(plane, tenant.key));
  });

  afterAll(async () => {
    await client?.close();
    await plane?.stop();
    await http?.close();
  });

  it("re-initialises and retries the call once, so the client gets its result", async () => {
    const echo = (message: string) => client.callTool({ name: "asker__echo", arguments: { message } });
    expect(toolText(await echo("before"))).toBe("asking:before");
    const initsBefore = http.initializations();
    await http.stop();
    await http.start();
    // The first call after the restart meets the 404 and is answered all the same.
    const after = await echo("after");
    expect(after.isError).toBeFalsy();
    expect(toolText(after)).toBe("asking:after");
    expect(http.initializations()).toBe(initsBefore + 1);
    // Several calls at once after another restart: one re-initialise, every call answered.
    await http.stop();
    await http.start();
    const many = await Promise.all([1, 2, 3, 4, 5].map((n) => echo(`m${n}`)));
    expect(many.map(toolText)).toEqual(["asking:m1", "asking:m2", "asking:m3", "asking:m4", "asking:m5"]);
    expect(http.initializations()).toBe(initsBefore + 2);
    expect((await planeStatus(plane)).upstreams[0]?.state).toBe("ready");
  });
});

import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AskingUpstream, startAskingHttpUpstream } from "./testing/asking-http-upstream.ts";
import { type RunningPlane, waitFor } from "./testing/process.ts";
import { connectLegacy, planeStatus, tenantFixture, toolText } from "./testing/tenant-plane.ts";

/**
 * One logical HTTP upstream with two endpoints (two real SDK servers): concurrent
 * calls are spread by least outstanding requests, calls keep succeeding on the other
 * endpoint while one is down, and the endpoint rejoins when it is back.
 */
describe("upstream replicas: balancing and failover", () => {
  let plane: RunningPlane;
  let r1: AskingUpstream;
  let r2: AskingUpstream;
  let client: Client;
  const pool = async () => (await planeStatus(plane)).upstreams.find((u) => u.name === "pool");
  const slow = (ms: number) => client.callTool({ name: "pool__slow", arguments: { ms } });

  beforeAll(async () => {
    r1 = await startAskingHttpUpstream({ label: "r1" });
    r2 = await startAskingHttpUpstream({ label: "r2" });
    const tenant = await tenantFixture("replicas", [
      { id: "u_pool", name: "pool", transport: "http", url: r1.url, replicas: [r2.url] },
    ]);
    plane = await tenant.start();
    await waitFor(async () => {
      const p = await pool();
      return p?.replicas?.every((r) => r.state === "ready") ? p : undefined;
    }, "both replicas ready");
    ({ client } = await connectLegacy(plane, tenant.key));
  });

  afterAll(async () => {
    await client?.close();
    await plane?.stop();
    await r1?.close();
    await r2?.close();
  });

  it("spreads concurrent calls over the endpoints by least outstanding requests", async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => slow(800)));
    expect(results.map(toolText).sort()).toEqual([
      "slow done by r1",
      "slow done by r1",
      "slow done by r2",
      "slow done by r2",
    ]);
  });

  it("fails over to the other endpoint while one is down, and takes it back when it returns", async () => {
    await r1.stop();
    // Every call succeeds: the unreachable endpoint's calls move to the other one.
    for (let i = 0; i < 6; i++) {
      const result = await client.callTool({ name: "pool__echo", arguments: { message: `m${i}` } });
      expect(toolText(result)).toBe(`r2:m${i}`);
    }
    const during = await pool();
    expect(during?.state).toBe("ready");
    expect(during?.replicas?.map((r) => r.state)).toEqual(["down", "ready"]);

    await r1.start();
    await waitFor(async () => ((await pool())?.replicas?.[0]?.state === "ready" ? true : undefined), "r1 back", 45_000);
    const again = await Promise.all([1, 2].map(() => slow(500)));
    expect(again.map(toolText).sort()).toEqual(["slow done by r1", "slow done by r2"]);
  });
});

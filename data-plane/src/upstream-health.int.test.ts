import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive, REPO_ROOT, type RunningPlane, waitFor } from "./testing/process.ts";
import { connectLegacy, planeStatus, tenantFixture, toolText, upstreamsReady } from "./testing/tenant-plane.ts";

const COUNTER = `${REPO_ROOT}/data-plane/src/testing/counter-upstream.ts`;

/**
 * Health checks: an upstream that stops answering while its process is still alive
 * (SIGSTOP: no exit, no closed pipe, nothing else to notice) fails its ping, is taken
 * down (its process group killed) and replaced by a fresh process that serves again.
 */
describe("upstream health checks", () => {
  let plane: RunningPlane;
  let client: Client;

  beforeAll(async () => {
    const tenant = await tenantFixture("health", [
      {
        id: "u_c",
        name: "counter",
        transport: "stdio",
        command: process.execPath,
        args: ["--import", "tsx", COUNTER],
        cwd: REPO_ROOT,
      },
    ]);
    plane = await tenant.start({ DATA_PLANE_HEALTH_CHECK_MS: "1000" });
    await upstreamsReady(plane, 1);
    ({ client } = await connectLegacy(plane, tenant.key));
  });

  afterAll(async () => {
    await client?.close();
    await plane?.stop();
  });

  it("replaces a hung upstream that no longer answers ping", async () => {
    const hung = (await planeStatus(plane)).upstreams[0]?.pid as number;
    expect(toolText(await client.callTool({ name: "counter__count", arguments: {} }))).toBe(`${hung}:1`);
    process.kill(hung, "SIGSTOP");
    try {
      const fresh = await waitFor(
        async () => {
          const upstream = (await planeStatus(plane)).upstreams[0];
          return upstream?.state === "ready" && upstream.pid !== undefined && upstream.pid !== hung
            ? upstream.pid
            : undefined;
        },
        "a fresh process after the failed health check",
        30_000,
      );
      expect(plane.logs.some((line) => line.includes("health check failed"))).toBe(true);
      expect(toolText(await client.callTool({ name: "counter__count", arguments: {} }))).toBe(`${fresh}:1`);
      await waitFor(async () => (isAlive(hung) ? undefined : true), "the hung process to be killed");
    } finally {
      if (isAlive(hung)) process.kill(hung, "SIGKILL");
    }
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { recordFigures } from "./harness/figures.ts";
import { startLoad } from "./harness/load.ts";
import {
  crashingUpstream,
  everythingUpstream,
  planeStatus,
  type RunningPlane,
  type SignedPlane,
  signedPlane,
  waitFor,
  waitForUpstream,
} from "./harness/signed-plane.ts";

describe("an upstream that crash-loops", () => {
  let fixture: SignedPlane;
  let plane: RunningPlane | undefined;

  afterAll(async () => {
    await plane?.stop();
    await fixture?.cleanup();
  });

  it("is retried with backoff, then its circuit opens, while the tenant's other upstream keeps serving", async () => {
    fixture = await signedPlane([everythingUpstream(), crashingUpstream()]);
    plane = await fixture.start();
    const running = plane;
    expect((await fixture.push(running, 1)).status).toBe(200);
    await waitForUpstream(running.url, "everything");

    const downs = () => running.logs.filter((line) => line.includes('"upstream down"') && line.includes("crasher"));
    const load = startLoad({ mcpUrl: `${running.url}/mcp`, apiKey: fixture.apiKey, ratePerSecond: 10, clients: 2 });
    const windowStart = Date.now();
    const downsAtStart = downs().length;
    // Watch at least three restart attempts of the crasher while the load runs.
    await waitFor(
      async () => (downs().length >= downsAtStart + 3 ? true : undefined),
      "three crash/retry cycles",
      60_000,
    );
    await load.waitForOk(50);

    // Five consecutive failures (1+2+4+8 s of backoff) open the circuit: no restart for 30 s.
    const opened = await waitFor(
      async () => (await planeStatus(running.url)).upstreams.find((u) => u.name === "crasher" && u.circuit === "open"),
      "the crasher's circuit to open",
      60_000,
    );
    expect(opened.error).toMatch(/circuit open after \d+ consecutive failures/);
    expect(running.logs.some((line) => line.includes('"upstream circuit open"') && line.includes("crasher"))).toBe(
      true,
    );
    const downsWhenOpened = downs().length;
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const restartsWhileOpen = downs().length - downsWhenOpened;
    expect(restartsWhileOpen).toBe(0);
    const stats = await load.stop();
    const windowMs = Date.now() - windowStart;
    const attempts = downs().length - downsAtStart;

    const status = await planeStatus(running.url);
    const crasher = status.upstreams.find((u) => u.name === "crasher");
    expect(crasher?.state).not.toBe("ready");
    expect(crasher?.circuit).toBe("open");
    expect(status.upstreams.find((u) => u.name === "everything")?.state).toBe("ready");
    expect(stats.failed).toBe(0);
    expect(stats.ok).toBeGreaterThanOrEqual(50);
    // Backoff starts at 1 s: a hot loop would show hundreds of attempts in this window.
    expect(attempts).toBeLessThanOrEqual(Math.ceil(windowMs / 1000) + 1);
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);

    recordFigures({
      "window (s)": Math.round(windowMs / 1000),
      "crasher restart attempts in window": attempts,
      "calls to the healthy upstream ok / failed": `${stats.ok} / ${stats.failed}`,
      "p99 latency (ms)": stats.p99Ms,
      "crasher state": `${crasher?.state ?? "absent"}, circuit ${crasher?.circuit ?? "closed"} after ${crasher?.consecutiveFailures ?? 0} failures`,
      "crasher restarts in the 10 s after the circuit opened": restartsWhileOpen,
    });
  });
});

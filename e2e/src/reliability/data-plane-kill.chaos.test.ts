import { afterAll, describe, expect, it } from "vitest";
import { recordFigures } from "./harness/figures.ts";
import { startLoad } from "./harness/load.ts";
import {
  isAlive,
  planeStatus,
  type RunningPlane,
  type SignedPlane,
  signedPlane,
  waitFor,
  waitForUpstream,
} from "./harness/signed-plane.ts";

// The control plane is absent for the whole case: after the SIGKILL nothing pushes
// a snapshot, so the restarted data plane can only serve from its last-known-good.
describe("data plane SIGKILL under load", () => {
  let fixture: SignedPlane;
  const planes: RunningPlane[] = [];

  afterAll(async () => {
    for (const plane of planes) await plane.stop();
    await fixture?.cleanup();
  });

  it("restarts from its last-known-good snapshot with the control plane down and serves again", async () => {
    fixture = await signedPlane();
    const first = await fixture.start();
    planes.push(first);
    expect((await fixture.push(first, 3)).status).toBe(200);
    const before = await planeStatus(first.url);
    const upstream = await waitForUpstream(first.url, "everything");

    const load = startLoad({ mcpUrl: `${first.url}/mcp`, apiKey: fixture.apiKey, ratePerSecond: 20, clients: 2 });
    await load.waitForOk(40);
    const okBeforeKill = load.stats().ok;
    expect(load.stats().failed).toBe(0);

    const killedAt = Date.now();
    first.proc.kill("SIGKILL");
    await waitFor(
      async () => (first.proc.exitCode !== null || first.proc.signalCode !== null ? true : undefined),
      "exit",
    );

    // Same port, same state dir, no PUT: only the on-disk snapshot can configure it.
    const port = new URL(first.url).port;
    fixture.env.DATA_PLANE_PORT = port;
    const restartedAt = Date.now();
    const second = await fixture.start();
    const listeningAt = Date.now();
    planes.push(second);
    expect(second.url).toBe(first.url);
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    const after = await planeStatus(second.url);
    expect(after.snapshotVersion).toBe(3);
    expect(after.snapshotHash).toBe(before.snapshotHash);
    expect(second.logs.some((line) => line.includes("serving last-known-good snapshot"))).toBe(true);

    await load.waitForOk(60);
    const firstOkAfter = load.stats().outcomes.find((o) => o.ok && o.at >= restartedAt);
    await load.waitForOk(40);
    const stats = await load.stop();
    // Once it serves again, it serves every request: the last 40 all succeeded.
    expect(stats.outcomes.slice(-40).every((o) => o.ok)).toBe(true);

    // The killed process could not clean up: its stdio upstream must still go away (stdin EOF).
    const orphan = upstream.pid;
    const orphanGone =
      orphan === undefined
        ? true
        : await waitFor(async () => (isAlive(orphan) ? undefined : true), "old upstream to exit", 15_000).catch(
            () => false,
          );

    recordFigures({
      "requests ok before kill": okBeforeKill,
      "requests failed while down": stats.failed,
      "kill to restarted plane listening (ms)": listeningAt - killedAt,
      "restart to first ok call (ms)": firstOkAfter ? firstOkAfter.at + firstOkAfter.ms - restartedAt : -1,
      "calls ok in total": stats.ok,
      "p99 latency (ms)": stats.p99Ms,
      "old stdio upstream exited": orphanGone,
    });
    expect(orphanGone, `upstream pid ${orphan} outlived its SIGKILLed data plane`).toBe(true);
  });
});

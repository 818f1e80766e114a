import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childProcessMatching, type RunningStack, startStack } from "../stack.ts";
import { recordFigures } from "./harness/figures.ts";
import { startLoad } from "./harness/load.ts";
import { planeStatus } from "./harness/signed-plane.ts";

const DOWN_S = Number(process.env.CHAOS_CONTROL_PLANE_DOWN_S ?? 20);

async function consoleAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/login`, { signal: AbortSignal.timeout(2000), redirect: "manual" });
    return response.status < 500;
  } catch {
    return false;
  }
}

// The console + control plane (web/server.mjs) is frozen with SIGSTOP: it holds its
// port and answers nothing, the nastiest way for it to be down. The launcher would
// stop everything if a child exited, so freezing is how it stays "down" under npm start.
describe("control plane down (npm start stack)", () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startStack({ webPort: 3347, dataPlanePort: 8417 });
  });
  afterAll(async () => {
    const web = stack ? childProcessMatching(stack.process.pid as number, "web/server.mjs") : undefined;
    if (web) process.kill(web, "SIGCONT");
    await stack?.stop();
  });

  it(`leaves the data plane serving while the control plane is stopped for ${DOWN_S} s`, async () => {
    const web = childProcessMatching(stack.process.pid as number, "web/server.mjs");
    expect(web).toBeDefined();
    const before = await planeStatus(stack.dataPlaneUrl);
    expect(before.snapshotVersion).toBeGreaterThanOrEqual(1);

    const load = startLoad({ mcpUrl: stack.demo.mcpUrl, apiKey: stack.demo.apiKey, ratePerSecond: 10, clients: 2 });
    await load.waitForOk(20);
    const okBefore = load.stats().ok;
    process.kill(web as number, "SIGSTOP");
    const stoppedAt = Date.now();
    expect(await consoleAnswers(stack.demo.consoleUrl)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, DOWN_S * 1000));
    const okWhileDown = load.stats().ok - okBefore;
    expect(load.stats().failed).toBe(0);
    process.kill(web as number, "SIGCONT");
    const downMs = Date.now() - stoppedAt;

    const stats = await load.stop();
    expect(stats.failed).toBe(0);
    expect(okWhileDown).toBeGreaterThan(0);
    const after = await planeStatus(stack.dataPlaneUrl);
    expect(after.snapshotHash).toBe(before.snapshotHash);
    // And the control plane comes back by itself.
    const deadline = Date.now() + 30_000;
    while (!(await consoleAnswers(stack.demo.consoleUrl)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await consoleAnswers(stack.demo.consoleUrl)).toBe(true);
    const current = await fetch(`${stack.demo.consoleUrl}/api/v1/snapshots/current`, {
      headers: { authorization: `Bearer ${stack.demo.adminToken}` },
    });
    expect(current.status).toBe(200);

    recordFigures({
      "control plane down (s)": Math.round(downMs / 1000),
      "MCP calls ok while down": okWhileDown,
      "calls failed": stats.failed,
      "p99 latency (ms)": stats.p99Ms,
      "data plane snapshot unchanged": after.snapshotHash === before.snapshotHash,
    });
  });
});

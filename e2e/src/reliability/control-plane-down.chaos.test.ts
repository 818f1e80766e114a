import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAllAuditChains } from "../../../control-plane/src/audit/verify-audit-chain.ts";
import { createTestDatabase } from "../../../control-plane/src/testing/postgres-test-database.ts";
import { childProcessMatching, type RunningStack, startStack } from "../stack.ts";
import { recordFigures } from "./harness/figures.ts";
import { startLoad } from "./harness/load.ts";
import { planeStatus, waitFor } from "./harness/signed-plane.ts";

type AuditStats = {
  recorded: number;
  delivered: number;
  spooled: number;
  droppedSpoolFull: number;
  droppedWriteFailed: number;
};

async function auditStats(url: string): Promise<AuditStats> {
  const body = (await (await fetch(`${url}/_only1mcp/status`)).json()) as { audit?: AuditStats };
  if (!body.audit) throw new Error("the stack's data plane ships no audit");
  return body.audit;
}

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
describe("control plane down (npm start stack on Postgres)", () => {
  let stack: RunningStack;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startStack({ webPort: 3347, dataPlanePort: 8417, env: { DATABASE_URL: database.url } });
  });
  afterAll(async () => {
    const web = stack ? childProcessMatching(stack.process.pid as number, "web/server.mjs") : undefined;
    if (web) process.kill(web, "SIGCONT");
    await stack?.stop();
    await database?.drop();
  });

  it(`leaves the data plane serving while the control plane is stopped for ${DOWN_S} s; every audit event spooled, then delivered, chains verify`, async () => {
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
    const spooledDuringOutage = (await auditStats(stack.dataPlaneUrl)).spooled;
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

    // Audit: every call the clients made is stored once, nothing dropped, chains intact.
    const db = database.db;
    const spoolDir = path.join(stack.dataDir, "data-plane", "audit-spool");
    const deliveredAt = Date.now();
    const audit = await waitFor(
      async () => {
        const now = await auditStats(stack.dataPlaneUrl);
        const stored = await db.dataPlaneEvent.count();
        const calls = await db.dataPlaneEvent.count({ where: { kind: "call" } });
        const spoolEmpty = (await readdir(spoolDir).catch(() => [])).filter((f) => f.endsWith(".json")).length === 0;
        return spoolEmpty && stored === now.recorded ? { now, stored, calls } : undefined;
      },
      "every audit event to reach Postgres",
      120_000,
    );
    const deliveryMs = Date.now() - deliveredAt;
    expect(spooledDuringOutage).toBeGreaterThan(0);
    expect(audit.now.droppedSpoolFull + audit.now.droppedWriteFailed).toBe(0);
    // Count in (recorded by the data plane) = count stored; a re-sent batch is stored once.
    expect(audit.stored).toBe(audit.now.recorded);
    expect(audit.now.delivered).toBeGreaterThanOrEqual(audit.stored);
    expect(audit.calls).toBe(stats.ok);
    const chains = await verifyAllAuditChains(db);
    expect(chains.length).toBeGreaterThan(0);
    expect(chains.filter((c) => !c.ok)).toEqual([]);

    recordFigures({
      "audit events spooled while down": spooledDuringOutage,
      "audit events recorded = stored": `${audit.now.recorded} = ${audit.stored}`,
      "call events stored = calls made": `${audit.calls} = ${stats.ok}`,
      "hash chains verified": `${chains.length}, ${chains.reduce((n, c) => n + c.checked, 0)} events`,
      "all delivered after resume (ms)": deliveryMs,
      "control plane down (s)": Math.round(downMs / 1000),
      "MCP calls ok while down": okWhileDown,
      "calls failed": stats.failed,
      "p99 latency (ms)": stats.p99Ms,
      "data plane snapshot unchanged": after.snapshotHash === before.snapshotHash,
    });
  });
});

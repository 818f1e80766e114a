import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenDatabase, openDatabase } from "../../../control-plane/src/db/open-database.ts";
import { createTenant } from "../../../control-plane/src/tenants/create-tenant.ts";
import { type RunningStack, startStack } from "../stack.ts";
import { recordFigures } from "./harness/figures.ts";
import { type PrivatePostgres, privatePostgres } from "./harness/private-postgres.ts";

const DOWN_S = Number(process.env.CHAOS_POSTGRES_DOWN_S ?? 10);

type Envelope = { code?: string; message?: string; requestId?: string };

async function apiCall(stack: RunningStack): Promise<{ status: number; body: Envelope | undefined; ms: number }> {
  const started = Date.now();
  try {
    const response = await fetch(`${stack.demo.consoleUrl}/api/v1/snapshots/current`, {
      headers: { authorization: `Bearer ${stack.demo.adminToken}` },
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    let body: Envelope | undefined;
    try {
      body = JSON.parse(text) as Envelope;
    } catch {
      body = undefined;
    }
    return { status: response.status, body, ms: Date.now() - started };
  } catch {
    return { status: 0, body: undefined, ms: Date.now() - started }; // hung or connection refused
  }
}

/** Closing a pool whose transaction died with the server can wait forever: bound it. */
function closeSoon(database: OpenDatabase | undefined): Promise<unknown> {
  return Promise.race([database?.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000))]);
}

// The API on a private Postgres cluster, which is stopped and started again.
describe("Postgres restarted while the API is used", () => {
  let pg: PrivatePostgres;
  let stack: RunningStack;
  let db: OpenDatabase | undefined;

  beforeAll(async () => {
    pg = await privatePostgres();
    stack = await startStack({ webPort: 3349, dataPlanePort: 8419, env: { DATABASE_URL: pg.url } });
  });
  afterAll(async () => {
    await closeSoon(db);
    await stack?.stop();
    await pg?.destroy();
  });

  it("answers 503 UNAVAILABLE with a JSON body while it is down, recovers, and keeps no half-written change", async () => {
    expect((await apiCall(stack)).status).toBe(200);
    db = await openDatabase({ kind: "postgres", url: pg.url });
    const database = db;
    const auditBefore = await database.db.auditEvent.count();

    // A change in flight when the database goes away: the tenant row is written in the
    // transaction, the server stops before its audit event and commit.
    const inFlight = database.db.$transaction(async (tx) => {
      await createTenant(tx, { slug: "half-written", name: "Half written" }, { kind: "system", name: "chaos" });
      await pg.stop();
      await tx.auditEvent.count();
    });
    await expect(inFlight).rejects.toThrow();
    const stoppedAt = Date.now();

    // Used all the while it is down: every answer must be the clear 503, none a hang or 500.
    const whileDown = await apiCall(stack);
    const answersWhileDown = [whileDown];
    while (Date.now() - stoppedAt < DOWN_S * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      answersWhileDown.push(await apiCall(stack));
    }
    const dataPlane = await fetch(`${stack.dataPlaneUrl}/readyz`);
    await pg.start();
    const restartedAt = Date.now();
    let recovered = await apiCall(stack);
    while (recovered.status !== 200 && Date.now() - restartedAt < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      recovered = await apiCall(stack);
    }
    const recoveryMs = Date.now() - restartedAt;

    recordFigures({
      "API answers while down": answersWhileDown.map((a) => a.status).join(","),
      "API body code while down": whileDown.body?.code ?? "(not JSON)",
      "slowest answer while down (ms)": Math.max(...answersWhileDown.map((a) => a.ms)),
      "data plane ready while down": dataPlane.status === 200,
      "Postgres down (s)": Math.round((restartedAt - stoppedAt) / 1000),
      "restart to API 200 (ms)": recoveryMs,
    });
    if (whileDown.status !== 503) process.stderr.write(stack.output().slice(-6000));
    expect(answersWhileDown.every((a) => a.status === 503 && a.body?.code === "UNAVAILABLE")).toBe(true);
    expect(whileDown.body).toMatchObject({
      code: "UNAVAILABLE",
      message: expect.any(String),
      requestId: expect.any(String),
    });
    expect(dataPlane.status).toBe(200);
    expect(recovered.status).toBe(200);

    await closeSoon(database);
    db = await openDatabase({ kind: "postgres", url: pg.url });
    expect(await db.db.tenant.findUnique({ where: { slug: "half-written" } })).toBeNull();
    expect(await db.db.auditEvent.count()).toBe(auditBefore);
    // Every stored snapshot still has its audit event (written in the same transaction).
    const snapshots = await db.db.snapshot.count();
    expect(await db.db.auditEvent.count({ where: { action: "snapshot.published" } })).toBe(snapshots);
  });
});

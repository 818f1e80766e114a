import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { TrustedKeys, verifySnapshot } from "@only1mcp/data-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../audit/record-audit-event.ts";
import { heartbeatV1Schema } from "../fleet/heartbeat-schema.ts";
import { listFleet } from "../fleet/list-fleet.ts";
import { recordHeartbeat } from "../fleet/record-heartbeat.ts";
import { InProcessJobQueue } from "../jobs/in-process-queue.ts";
import { createJobHandlers } from "../jobs/job-handlers.ts";
import { issueApiKey } from "../keys/issue-api-key.ts";
import { ensureSigningKey, type SigningKey, TRUSTED_KEYS_FILE } from "../signing/signing-key.ts";
import { activateNextSigningKey, stageNextSigningKey } from "../signing/signing-keyring.ts";
import { requestRollback } from "../snapshots/restore-snapshot.ts";
import { startSnapshotReconciler } from "../snapshots/snapshot-reconciler.ts";
import { createTenant } from "../tenants/create-tenant.ts";
import { type DataPlaneProcess, startDataPlaneProcess, waitUntil } from "../testing/data-plane-process.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";
import { promoteRollout, rollBackRollout, startStagedRollout } from "./staged-rollout.ts";

const actor: Actor = { kind: "system", name: "fleet-test" };
const NODE_TOKEN = "test-node-token-0123456789";

type Status = { snapshotVersion: number | null; snapshotHash: string | null };
const status = async (plane: DataPlaneProcess): Promise<Status> =>
  (await fetch(`${plane.url}/_only1mcp/status`)).json() as Promise<Status>;

/**
 * Three real data-plane processes register themselves by heartbeat; publishing is a
 * job; one plane is down during a publish and catches up on restart; the signing key
 * rotates in between (old and new trusted during the overlap).
 */
describe("publishing to a fleet of three data planes", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let key: SigningKey;
  let retiredKey: SigningKey | undefined;
  let tenantId: string;
  let heartbeatServer: Server;
  let reconciler: ReturnType<typeof startSnapshotReconciler>;
  const jobs = new InProcessJobQueue({ pollMs: 20 });
  const planes: DataPlaneProcess[] = [];
  const stateDirs: string[] = [];
  let planeEnv: (index: number) => Record<string, string>;

  const publish = async () => {
    const { id } = await jobs.enqueue("snapshot.publish", { actor });
    const job = await jobs.waitUntilFinished(id);
    expect(job.state).toBe("completed");
    return job.result as { version: number; sha256: string; created: boolean };
  };
  const nodeIdOf = async (plane: DataPlaneProcess) =>
    waitUntil(async () => (await database.db.dataPlaneNode.findFirst({ where: { url: plane.url } }))?.id, "heartbeat");

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), "o1-fleet-"));
    key = await ensureSigningKey(dataDir);
    // Rotation step 1 before the planes start: they trust the current and the next key.
    await stageNextSigningKey(dataDir, key);
    tenantId = (await createTenant(database.db, { slug: "fleet", name: "Fleet" }, actor)).id;

    heartbeatServer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const parsed = heartbeatV1Schema.safeParse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        if (req.headers.authorization !== `Bearer ${NODE_TOKEN}` || !parsed.success) {
          res.writeHead(parsed.success ? 401 : 400).end();
          return;
        }
        void recordHeartbeat(database.db, parsed.data).then(
          (answer) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer)),
          () => res.writeHead(500).end(),
        );
      });
    });
    await new Promise<void>((resolve) => heartbeatServer.listen(0, "127.0.0.1", resolve));
    const controlPlaneUrl = `http://127.0.0.1:${(heartbeatServer.address() as AddressInfo).port}`;

    reconciler = startSnapshotReconciler(database.db, { intervalMs: 200 });
    jobs.startWorker(
      createJobHandlers({ db: database.db, signingKey: () => key, reconcileNow: () => reconciler.reconcileNow() }),
    );
    planeEnv = (index) => ({
      ONLY1MCP_TRUSTED_KEYS_FILE: path.join(dataDir, TRUSTED_KEYS_FILE),
      DATA_PLANE_STATE_DIR: stateDirs[index] ?? "",
      DATA_PLANE_NAME: `plane-${index + 1}`,
      ONLY1MCP_CONTROL_PLANE_URL: controlPlaneUrl,
      ONLY1MCP_NODE_TOKEN: NODE_TOKEN,
      DATA_PLANE_HEARTBEAT_MS: "200",
    });
    for (let i = 0; i < 3; i++) stateDirs.push(mkdtempSync(path.join(tmpdir(), `o1-plane-${i}-`)));
    planes.push(...(await Promise.all([0, 1, 2].map((i) => startDataPlaneProcess(planeEnv(i))))));
    await Promise.all(planes.map(nodeIdOf));
  });

  afterAll(async () => {
    reconciler?.stop();
    await jobs.close();
    await Promise.all(planes.map((plane) => plane.stop()));
    heartbeatServer?.closeAllConnections();
    await new Promise((resolve) => heartbeatServer?.close(resolve));
    await database?.drop();
  });

  it("registers every plane by heartbeat and delivers a publish to all three", async () => {
    expect(await database.db.dataPlaneNode.count()).toBe(3);
    const first = await publish();
    expect(first.created).toBe(true);
    for (const plane of planes) expect((await status(plane)).snapshotVersion).toBe(first.version);
    const fleet = await waitUntil(async () => {
      const nodes = await listFleet(database.db);
      return nodes.every((n) => n.health === "in_sync" && n.version !== null) ? nodes : undefined;
    }, "the fleet to report in sync");
    expect(fleet.map((n) => n.name).sort()).toEqual(["plane-1", "plane-2", "plane-3"]);
  });

  it("catches up a plane that was down during a publish, across a signing-key rotation", async () => {
    const before = await database.db.snapshot.findFirstOrThrow({ orderBy: { version: "desc" } });
    const third = planes[2];
    if (!third) throw new Error("no third plane");
    await third.stop();
    // Rotation step 2: the next key signs; the old one stays trusted for the overlap.
    retiredKey = key;
    key = await activateNextSigningKey(dataDir, key, { overlapMs: 3_600_000 });
    await issueApiKey(database.db, { tenantId, name: "while plane 3 is down" }, actor);
    const next = await publish();
    expect(next.version).toBe(before.version + 1);
    expect((await status(planes[0] as DataPlaneProcess)).snapshotVersion).toBe(next.version);
    expect((await status(planes[1] as DataPlaneProcess)).snapshotVersion).toBe(next.version);
    const stored = await database.db.snapshot.findUniqueOrThrow({ where: { version: next.version } });
    expect(stored.kid).toBe(key.kid);
    expect(stored.kid).not.toBe(before.kid);

    // Same port and state dir: it boots from its last-known-good (signed by the old key).
    const restarted = await startDataPlaneProcess({ ...planeEnv(2), DATA_PLANE_PORT: String(third.port) });
    planes[2] = restarted;
    const caughtUp = await waitUntil(async () => {
      const s = await status(restarted);
      return s.snapshotVersion === next.version ? s : undefined;
    }, "the restarted plane to catch up");
    expect(caughtUp.snapshotHash).toBe(next.sha256);
  });

  it("refuses a rollback to an older version, at the control plane and at the data plane", async () => {
    const current = await database.db.snapshot.findFirstOrThrow({ orderBy: { version: "desc" } });
    const older = await database.db.snapshot.findFirstOrThrow({ orderBy: { version: "asc" } });
    expect(await requestRollback(database.db, { toVersion: older.version })).toMatchObject({
      ok: false,
      code: "ROLLBACK_REFUSED",
      currentVersion: current.version,
    });
    const plane = planes[0] as DataPlaneProcess;
    const response = await fetch(`${plane.url}/_only1mcp/snapshot`, { method: "PUT", body: older.jws });
    expect(response.status).toBe(409);
    expect((await status(plane)).snapshotVersion).toBe(current.version);
  });

  it("stages a rollout on one plane, rolls it back, then stages and promotes another", async () => {
    const [one, two] = planes as [DataPlaneProcess, DataPlaneProcess, DataPlaneProcess];
    const canary = await nodeIdOf(one);
    const base = await database.db.snapshot.findFirstOrThrow({ orderBy: { version: "desc" } });

    await issueApiKey(database.db, { tenantId, name: "canary change" }, actor);
    const staged = await startStagedRollout(database.db, key, actor, { nodeIds: [canary] });
    if (!staged.ok) throw new Error(staged.message);
    await reconciler.reconcileNow();
    expect((await status(one)).snapshotVersion).toBe(staged.snapshot.version);
    expect((await status(two)).snapshotVersion).toBe(base.version);
    // Heartbeats in flight may still carry the previous version for a moment.
    const canaryNode = await waitUntil(async () => {
      const node = (await listFleet(database.db)).find((n) => n.id === canary);
      return node?.health === "in_sync" ? node : undefined;
    }, "the canary to report its staged version");
    expect(canaryNode).toMatchObject({ inStagedRollout: true, targetVersion: staged.snapshot.version });

    const rolledBack = await rollBackRollout(database.db, key, actor, { version: staged.snapshot.version });
    if (!rolledBack.ok) throw new Error(rolledBack.message);
    expect(rolledBack.restoredFrom).toBe(base.version);
    await reconciler.reconcileNow();
    for (const plane of planes) expect((await status(plane)).snapshotVersion).toBe(rolledBack.version);
    // The canary is back on the old content under a newer version.
    const restored = await database.db.snapshot.findUniqueOrThrow({ where: { version: rolledBack.version } });
    expect(restored.contentHash).toBe(base.contentHash);

    const again = await startStagedRollout(database.db, key, actor, { nodeIds: [canary] });
    if (!again.ok) throw new Error(again.message);
    expect(await promoteRollout(database.db, actor, { version: again.snapshot.version })).toEqual({
      ok: true,
      version: again.snapshot.version,
    });
    await reconciler.reconcileNow();
    for (const plane of planes) expect((await status(plane)).snapshotVersion).toBe(again.snapshot.version);
  });

  it("marks nodes stale after the snapshot expires, and a plane trusting only the old key refuses the new one", async () => {
    await waitUntil(async () => {
      const nodes = await listFleet(database.db);
      return nodes.every((n) => n.health === "in_sync") ? nodes : undefined;
    }, "every heartbeat to carry the current version");
    const current = await database.db.snapshot.findFirstOrThrow({ orderBy: { version: "desc" } });
    await database.db.snapshot.update({ where: { version: current.version }, data: { expiresAt: new Date() } });
    const later = new Date(Date.now() + 1000);
    const fleet = await listFleet(database.db, { now: later });
    expect(fleet.map((n) => [n.name, n.health])).toEqual([
      ["plane-1", "stale"],
      ["plane-2", "stale"],
      ["plane-3", "stale"],
    ]);

    const oldOnly = await TrustedKeys.fromJwks([retiredKey?.publicJwk ?? {}]);
    expect(await verifySnapshot(current.jws, oldOnly)).toMatchObject({ ok: false, error: { code: "UNKNOWN_KEY" } });
  });
});

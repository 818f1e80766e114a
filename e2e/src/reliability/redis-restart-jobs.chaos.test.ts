import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BullMqJobQueue } from "../../../control-plane/src/jobs/bullmq-queue.ts";
import { createJobHandlers } from "../../../control-plane/src/jobs/job-handlers.ts";
import type { JobWorker } from "../../../control-plane/src/jobs/job-queue.ts";
import { ensureSigningKey, type SigningKey } from "../../../control-plane/src/signing/signing-key.ts";
import { createTenant } from "../../../control-plane/src/tenants/create-tenant.ts";
import { createTestDatabase } from "../../../control-plane/src/testing/postgres-test-database.ts";
import { createUpstream } from "../../../control-plane/src/upstreams/create-upstream.ts";
import { recordFigures } from "./harness/figures.ts";
import { type PrivateRedis, privateRedis } from "./harness/private-redis.ts";

const actor = { kind: "system", name: "chaos-redis" } as const;
const PUBLISHES = 6;
const ECHOES = 12;
const DOWN_MS = 3000;

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

// The control plane's job queue (BullMQ) on a private redis-server with an append-only
// file, as a deployment runs it. Redis is SIGKILLed while publish jobs and slow jobs
// run and while new ones are being enqueued, then started again on the same data.
describe("Redis restarted mid-publish and mid-job (BullMQ on a private redis-server)", () => {
  let redis: PrivateRedis;
  let database: TestDatabase;
  let queue: BullMqJobQueue;
  let worker: JobWorker | undefined;
  let keyDir: string;
  let signingKey: SigningKey;
  let pushes = 0;
  const echoRuns = new Map<string, number>();

  beforeAll(async () => {
    redis = await privateRedis({ persistent: true });
    database = await createTestDatabase();
    keyDir = await mkdtemp(path.join(tmpdir(), "only1mcp-chaos-key-"));
    signingKey = await ensureSigningKey(keyDir, {});
    queue = new BullMqJobQueue({ redisUrl: redis.url, prefix: "chaos", lockDurationMs: 2000, stalledIntervalMs: 1000 });
    const handlers = createJobHandlers({
      db: database.db,
      signingKey: () => signingKey,
      reconcileNow: async () => {
        pushes++;
      },
      extra: {
        "test.echo": async (payload) => {
          echoRuns.set(payload.value, (echoRuns.get(payload.value) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, 400));
          return payload.value;
        },
      },
    });
    worker = queue.startWorker(handlers, { concurrency: 2 });
  });

  afterAll(async () => {
    await worker?.close({ force: true }).catch(() => undefined);
    await queue?.close().catch(() => undefined);
    await redis?.destroy();
    await database?.drop();
    if (keyDir) await rm(keyDir, { recursive: true, force: true });
  });

  it("every job completes after the restart; no publish lost or duplicated, every change in the last snapshot", async () => {
    const tenant = await createTenant(database.db, { slug: "redis-chaos", name: "Redis chaos" }, actor);
    const change = (i: number) =>
      createUpstream(
        database.db,
        {
          tenantId: tenant.id,
          name: `srv-${i}`,
          config: { transport: "stdio", command: "/usr/bin/true", args: [String(i)], env: {} },
        },
        actor,
      );
    const publishIds: string[] = [];
    const half = PUBLISHES / 2;
    // Before the fault: each change published on its own.
    for (let i = 0; i < half; i++) {
      await change(i);
      publishIds.push((await queue.enqueue("snapshot.publish", { actor }, { jobId: `publish-${i}` })).id);
      await queue.waitUntilFinished(`publish-${i}`, 60_000);
    }
    // Then a publish and a backlog of slow jobs, and the kill while they run.
    await change(half);
    publishIds.push((await queue.enqueue("snapshot.publish", { actor }, { jobId: `publish-${half}` })).id);
    const echoIds: string[] = [];
    for (let i = 0; i < ECHOES; i++) echoIds.push((await queue.enqueue("test.echo", { value: `e${i}` })).id);
    // Kill Redis once a job is running (mid-job, mid-publish).
    const activeDeadline = Date.now() + 30_000;
    while (Date.now() < activeDeadline && echoRuns.size === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(echoRuns.size).toBeGreaterThan(0);
    await redis.kill();
    const killedAt = Date.now();
    // Operators keep publishing while Redis is down: the enqueues wait, nothing fails.
    const lateEnqueues = (async () => {
      for (let i = half + 1; i < PUBLISHES; i++) {
        await change(i);
        publishIds.push((await queue.enqueue("snapshot.publish", { actor }, { jobId: `publish-${i}` })).id);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
    await redis.start();
    await lateEnqueues;

    const infos = await Promise.all([...echoIds, ...publishIds].map((id) => queue.waitUntilFinished(id, 120_000)));
    const recoveredMs = Date.now() - killedAt;
    expect(infos.map((info) => info.state)).toEqual(Array(infos.length).fill("completed"));
    const echoes = infos.slice(0, ECHOES);
    const publishInfos = infos.slice(ECHOES);
    expect(echoes.map((info) => info.result)).toEqual(echoIds.map((_, i) => `e${i}`));
    expect([...echoRuns.keys()].sort()).toEqual(echoIds.map((_, i) => `e${i}`).sort());

    const snapshots = await database.db.snapshot.findMany({ orderBy: { version: "asc" } });
    // Nothing published twice: every stored version has a state of its own, versions contiguous.
    expect(new Set(snapshots.map((s) => s.contentHash)).size).toBe(snapshots.length);
    expect(snapshots.map((s) => s.version)).toEqual(snapshots.map((_, i) => (snapshots[0]?.version ?? 1) + i));
    expect(snapshots.length).toBeGreaterThanOrEqual(half + 1);
    expect(snapshots.length).toBeLessThanOrEqual(PUBLISHES);
    // Nothing lost: the newest snapshot carries all the changes.
    const latest = snapshots.at(-1);
    const payload = JSON.parse(Buffer.from((latest?.jws ?? "").split(".")[1] ?? "", "base64url").toString("utf8")) as {
      tenants: { upstreams: { name: string }[] }[];
    };
    const names = payload.tenants.flatMap((t) => t.upstreams.map((u) => u.name)).sort();
    expect(names).toEqual(Array.from({ length: PUBLISHES }, (_, i) => `srv-${i}`).sort());
    const publishResults = publishInfos.map((info) => info.result as { version: number; created: boolean });
    // Every publish job ends on a stored version. A job whose lock was lost with Redis runs
    // again (at-least-once) and finds its snapshot already made (created: false), so the
    // jobs reporting "created" can be fewer than the snapshots, never more.
    const versions = snapshots.map((s) => s.version);
    for (const result of publishResults) expect(versions).toContain(result.version);
    expect(publishResults.filter((r) => r.created).length).toBeLessThanOrEqual(snapshots.length);
    expect(pushes).toBeGreaterThanOrEqual(PUBLISHES);

    const reRuns = [...echoRuns.values()].filter((runs) => runs > 1).length;
    recordFigures({
      "Redis down (ms)": DOWN_MS,
      "jobs completed / enqueued": `${infos.length} / ${ECHOES + PUBLISHES}`,
      "publish jobs → snapshots created": `${PUBLISHES} → ${snapshots.length} (rest: state unchanged)`,
      "jobs run again after a lost lock (at-least-once, idempotent)": reRuns,
      "all done after the kill (ms)": recoveredMs,
    });
  });
});

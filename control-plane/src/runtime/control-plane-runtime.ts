import { mkdirSync } from "node:fs";
import type { Actor } from "../audit/record-audit-event.ts";
import { databaseConfigFrom, dataDirFrom } from "../db/database-config.ts";
import { deployMigrations, pendingMigrations } from "../db/migrate.ts";
import { type Database, type OpenDatabase, openDatabase } from "../db/open-database.ts";
import { type DemoCredentials, seedDemoIfEmpty } from "../demo/seed-demo.ts";
import { dataPlaneUrlsFrom, registerConfiguredNodes } from "../fleet/data-plane-nodes.ts";
import { createJobQueue } from "../jobs/create-job-queue.ts";
import { createJobHandlers } from "../jobs/job-handlers.ts";
import type { JobQueue, JobWorker } from "../jobs/job-queue.ts";
import { ensureSecretsKey, type SecretsKey } from "../secrets/secrets-key.ts";
import { keyAnnouncementOutdated } from "../signing/retire-signing-keys.ts";
import { activateSigningKey, stageSigningKey } from "../signing/rotate-signing-key.ts";
import { ensureSigningKey, type SigningKey } from "../signing/signing-key.ts";
import { trustedPublicKeys } from "../signing/signing-keyring.ts";
import type { PublishedSnapshot } from "../snapshots/publish-snapshot.ts";
import { startSnapshotReconciler } from "../snapshots/snapshot-reconciler.ts";
import { logger } from "./logger.ts";

export type ControlPlaneContext = {
  db: Database;
  dataDir: string;
  signingKey: SigningKey;
  /** Secrets at rest, and (derived) the fleet data key sealed secrets in snapshots use. */
  secretsKey: SecretsKey;
  consoleUrl: string;
  mcpUrl: string;
  /** Set only on the start that seeded the demo. */
  demo: DemoCredentials | undefined;
  /** BullMQ when REDIS_URL is set, in-process otherwise. */
  jobs: JobQueue;
  /** Pushes each data plane its target snapshot now. */
  reconcileNow(): Promise<void>;
  /** Compiles, signs, stores and pushes the current state (as a snapshot.publish job). */
  publish(actor: Actor): Promise<PublishedSnapshot>;
  /** Signing-key rotation step 1 (the next key is announced by a publish). */
  stageSigningKey(actor: Actor): Promise<{ nextKid: string; snapshot: PublishedSnapshot }>;
  /** Step 2: the staged key signs; the old one stays announced for the overlap. */
  activateSigningKey(actor: Actor, overlapMs: number): Promise<{ activeKid: string; snapshot: PublishedSnapshot }>;
};

type Running = {
  context: ControlPlaneContext;
  database: OpenDatabase;
  stopReconciler: () => void;
  worker: JobWorker;
};

// On globalThis so Next's bundled route handlers and the server share one instance.
const REGISTRY = Symbol.for("only1mcp.control-plane");
type Registry = { [REGISTRY]?: Running };
const registry = globalThis as Registry;

async function openMigrated(env: NodeJS.ProcessEnv): Promise<OpenDatabase> {
  const config = databaseConfigFrom(env);
  let database = await openDatabase(config);
  const pending = await pendingMigrations(database.db);
  if (pending.length > 0) {
    logger.info("applying migrations", { pending });
    // PGlite is single-process: the migrate CLI needs the data directory to itself.
    if (config.kind === "pglite") await database.close();
    await deployMigrations(config);
    if (config.kind === "pglite") database = await openDatabase(config);
  }
  return database;
}

export async function startControlPlane(env: NodeJS.ProcessEnv): Promise<ControlPlaneContext> {
  const running = registry[REGISTRY];
  if (running) return running.context;
  const dataDir = dataDirFrom(env);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const database = await openMigrated(env);
  const { db } = database;
  const signingKey = await ensureSigningKey(dataDir, env);
  const secretsKey = ensureSecretsKey(dataDir, env);
  await registerConfiguredNodes(db, dataPlaneUrlsFrom(env));
  const consoleUrl = env.ONLY1MCP_CONSOLE_URL ?? `http://localhost:${env.WEB_PORT ?? "3000"}`;
  const mcpUrl = env.ONLY1MCP_MCP_URL ?? `${dataPlaneUrlsFrom(env)[0] ?? "http://127.0.0.1:8080"}/mcp`;
  const demo = await seedDemoIfEmpty(db, { dataDir, consoleUrl, mcpUrl });
  const reconciler = startSnapshotReconciler(db, { intervalMs: Number(env.ONLY1MCP_RECONCILE_MS ?? 2000) });
  const jobs = createJobQueue(env);
  const context: ControlPlaneContext = {
    db,
    dataDir,
    signingKey,
    secretsKey,
    consoleUrl,
    mcpUrl,
    demo,
    jobs,
    reconcileNow: () => reconciler.reconcileNow(),
    async publish(actor) {
      const { id } = await jobs.enqueue("snapshot.publish", { actor });
      const job = await jobs.waitUntilFinished(id, 180_000);
      if (job.state !== "completed") throw new Error(`snapshot publish failed: ${job.error ?? "unknown error"}`);
      const version = (job.result as { version: number }).version;
      const row = await db.snapshot.findUniqueOrThrow({ where: { version } });
      return { ...row, created: (job.result as { created: boolean }).created };
    },
    async stageSigningKey(actor) {
      const next = await stageSigningKey(db, dataDir, context.signingKey, actor);
      return { nextKid: next.kid, snapshot: await context.publish(actor) };
    },
    async activateSigningKey(actor, overlapMs) {
      context.signingKey = await activateSigningKey(db, dataDir, context.signingKey, actor, { overlapMs });
      return { activeKid: context.signingKey.kid, snapshot: await context.publish(actor) };
    },
  };
  const worker = jobs.startWorker(
    createJobHandlers({
      db,
      signingKey: () => context.signingKey,
      secretsKey,
      trustedKeys: () => trustedPublicKeys(dataDir, context.signingKey),
      reconcileNow: context.reconcileNow,
    }),
  );
  await context.publish({ kind: "system", name: "startup" });
  // Daily; the same key replaces the schedule on every start.
  await jobs.repeat(
    "audit-retention",
    "audit.retention",
    {},
    Number(env.ONLY1MCP_RETENTION_EVERY_MS ?? 24 * 3600 * 1000),
  );
  // Retires signing keys whose overlap ended: publishes when the announcement is outdated.
  const keyringTimer = setInterval(
    () => {
      void trustedPublicKeys(dataDir, context.signingKey)
        .then(async (wanted) => {
          if (await keyAnnouncementOutdated(db, wanted))
            await context.publish({ kind: "system", name: "key-retirement" });
        })
        .catch((error: unknown) => logger.error("signing-key retirement check failed", { error }));
    },
    Number(env.ONLY1MCP_KEYRING_CHECK_MS ?? 3600 * 1000),
  );
  keyringTimer.unref();
  registry[REGISTRY] = {
    context,
    database,
    stopReconciler: () => {
      clearInterval(keyringTimer);
      reconciler.stop();
    },
    worker,
  };
  return context;
}

export function getControlPlane(): ControlPlaneContext {
  const running = registry[REGISTRY];
  if (!running) throw new Error("the control plane is not started in this process");
  return running.context;
}

export async function stopControlPlane(): Promise<void> {
  const running = registry[REGISTRY];
  if (!running) return;
  registry[REGISTRY] = undefined;
  running.stopReconciler();
  await running.worker.close();
  await running.context.jobs.close();
  await running.database.close();
}

import type { Db } from "../db/open-database.ts";
import { fetchNodeStatus } from "../fleet/data-plane-nodes.ts";
import { logger } from "../runtime/logger.ts";
import { getCurrentSnapshot } from "./publish-snapshot.ts";
import { pushSnapshotToNodes } from "./push-snapshot.ts";

/**
 * Keeps every registered data plane on the current snapshot: a node that was
 * down, or restarted from an older last-known-good, catches up on the next pass.
 */
export function startSnapshotReconciler(db: Db, options: { intervalMs: number }) {
  let running: Promise<void> | undefined;
  let stopped = false;

  async function pass(): Promise<void> {
    const current = await getCurrentSnapshot(db);
    if (!current) return;
    const nodes = await db.dataPlaneNode.findMany();
    const behind = await Promise.all(
      nodes.map(async (node) => {
        const status = await fetchNodeStatus(node.url);
        return status !== undefined && (status.snapshotVersion ?? 0) < current.version;
      }),
    );
    if (!behind.some(Boolean)) return;
    const outcomes = await pushSnapshotToNodes(db, current);
    for (const outcome of outcomes.filter((o) => !o.ok)) {
      logger.warn("snapshot push failed", { node: outcome.url, status: outcome.status, error: outcome.error });
    }
  }

  function reconcileNow(): Promise<void> {
    running ??= pass()
      .catch((error: unknown) => logger.error("snapshot reconcile failed", { error: (error as Error).message }))
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  const timer = setInterval(() => {
    if (!stopped) void reconcileNow();
  }, options.intervalMs);
  timer.unref();
  return {
    reconcileNow,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

import type { Db } from "../db/open-database.ts";
import { fetchNodeStatus } from "../fleet/data-plane-nodes.ts";
import { loadFleetTargets } from "../fleet/node-targets.ts";
import { logger } from "../runtime/logger.ts";
import { pushSnapshotToNode } from "./push-snapshot.ts";

/**
 * Keeps every registered data plane on its target snapshot (the current one, or the
 * staged one for the nodes of a staged rollout): a node that was down, or restarted
 * from an older last-known-good, catches up on the next pass.
 */
export function startSnapshotReconciler(db: Db, options: { intervalMs: number }) {
  let running: Promise<void> | undefined;
  let stopped = false;

  async function pass(): Promise<void> {
    const targets = await loadFleetTargets(db);
    const nodes = await db.dataPlaneNode.findMany();
    await Promise.all(
      nodes.map(async (node) => {
        const target = targets.forNode(node.id);
        if (!target) return;
        const status = await fetchNodeStatus(node.url);
        if (status === undefined || (status.snapshotVersion ?? 0) >= target.version) return;
        const outcome = await pushSnapshotToNode(db, node, target);
        if (!outcome.ok)
          logger.warn("snapshot push failed", { node: outcome.url, status: outcome.status, error: outcome.error });
      }),
    );
  }

  /** Queued after a running pass (never joined to it): that pass may predate a publish. */
  function reconcileNow(): Promise<void> {
    const next = (running ?? Promise.resolve())
      .then(pass)
      .catch((error: unknown) => logger.error("snapshot reconcile failed", { error: (error as Error).message }));
    running = next;
    void next.finally(() => {
      if (running === next) running = undefined;
    });
    return next;
  }

  const timer = setInterval(() => {
    if (!stopped && running === undefined) void reconcileNow();
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

import type { Db } from "../db/open-database.ts";
import { loadFleetTargets } from "./node-targets.ts";

/**
 * in_sync: runs its target; drift: runs another version or hash; stale: its snapshot
 * expired (it says so, or we know the expiry); offline: no heartbeat or push lately;
 * unknown: never heard from.
 */
export type NodeHealth = "in_sync" | "drift" | "stale" | "offline" | "unknown";

export type FleetNode = {
  id: string;
  name: string;
  url: string;
  version: string | null;
  appliedVersion: number | null;
  appliedHash: string | null;
  targetVersion: number | null;
  inStagedRollout: boolean;
  health: NodeHealth;
  lastSeenAt: string | null;
  lastPublishError: string | null;
  upstreams: unknown;
};

export async function listFleet(db: Db, options: { now?: Date; offlineAfterMs?: number } = {}): Promise<FleetNode[]> {
  const now = options.now ?? new Date();
  const offlineAfterMs = options.offlineAfterMs ?? 60_000;
  const [targets, nodes] = await Promise.all([
    loadFleetTargets(db),
    db.dataPlaneNode.findMany({ orderBy: { name: "asc" } }),
  ]);
  const applied = await db.snapshot.findMany({
    where: { version: { in: nodes.map((n) => n.appliedVersion).filter((v): v is number => v !== null) } },
    select: { version: true, sha256: true, expiresAt: true },
  });
  return nodes.map((node) => {
    const target = targets.forNode(node.id);
    const appliedRow = applied.find((row) => row.version === node.appliedVersion);
    let health: NodeHealth;
    if (!node.lastSeenAt) health = "unknown";
    else if (now.getTime() - node.lastSeenAt.getTime() > offlineAfterMs) health = "offline";
    else if (node.reportsStale || (appliedRow?.expiresAt && appliedRow.expiresAt <= now)) health = "stale";
    else if (
      target &&
      (node.appliedVersion !== target.version || (node.appliedHash !== null && node.appliedHash !== target.sha256))
    )
      health = "drift";
    else health = "in_sync";
    return {
      id: node.id,
      name: node.name,
      url: node.url,
      version: node.version,
      appliedVersion: node.appliedVersion,
      appliedHash: node.appliedHash,
      targetVersion: target?.version ?? null,
      inStagedRollout: targets.staged?.nodeIds.includes(node.id) ?? false,
      health,
      lastSeenAt: node.lastSeenAt?.toISOString() ?? null,
      lastPublishError: node.lastPublishError,
      upstreams: node.upstreamHealth ?? [],
    };
  });
}

import type { Db } from "../db/open-database.ts";
import { SnapshotStatus } from "../snapshots/publish-snapshot.ts";

export type TargetSnapshot = { version: number; sha256: string; jws: string; expiresAt: Date | null };

export type FleetTargets = {
  active: TargetSnapshot | undefined;
  staged: (TargetSnapshot & { nodeIds: string[] }) | undefined;
  /** What one node should run: the staged version if it is in the rollout, else the current one. */
  forNode(nodeId: string): TargetSnapshot | undefined;
};

export async function loadFleetTargets(db: Db): Promise<FleetTargets> {
  const select = { version: true, sha256: true, jws: true, expiresAt: true, stagedNodeIds: true } as const;
  const [active, staged] = await Promise.all([
    db.snapshot.findFirst({ where: { status: SnapshotStatus.active }, orderBy: { version: "desc" }, select }),
    db.snapshot.findFirst({ where: { status: SnapshotStatus.staged }, orderBy: { version: "desc" }, select }),
  ]);
  const strip = (row: typeof active): TargetSnapshot | undefined =>
    row ? { version: row.version, sha256: row.sha256, jws: row.jws, expiresAt: row.expiresAt } : undefined;
  const stagedTarget =
    staged && (active === null || staged.version > active.version)
      ? { ...(strip(staged) as TargetSnapshot), nodeIds: (staged.stagedNodeIds as string[] | null) ?? [] }
      : undefined;
  const activeTarget = strip(active);
  return {
    active: activeTarget,
    staged: stagedTarget,
    forNode: (nodeId) => (stagedTarget?.nodeIds.includes(nodeId) ? stagedTarget : activeTarget),
  };
}

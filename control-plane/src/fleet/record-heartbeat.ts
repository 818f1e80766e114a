import type { Prisma } from "../db/generated/client.ts";
import type { Database } from "../db/open-database.ts";
import { deriveFleetDataKey, wrapDataKeyForNode } from "../secrets/fleet-data-key.ts";
import type { SecretsKey } from "../secrets/secrets-key.ts";
import type { HeartbeatV1 } from "./heartbeat-schema.ts";
import { loadFleetTargets } from "./node-targets.ts";

export type HeartbeatAnswer = {
  /** The version this node should run; the reconciler pushes it when the node is behind. */
  targetVersion: number | null;
  targetHash: string | null;
  /** The fleet data key sealed to the node's encryptionKey (JWE), when both are known. */
  dataKeys?: string;
};

export type HeartbeatOptions = {
  now?: Date;
  /** Where the fleet data key comes from; without it no data key is sent. */
  secretsKey?: SecretsKey;
};

/**
 * Registers or refreshes a data plane from its heartbeat. A node registered by URL
 * (ONLY1MCP_DATA_PLANE_URLS) before it ever called in is adopted under its own id.
 */
export async function recordHeartbeat(
  db: Database,
  beat: HeartbeatV1,
  options: HeartbeatOptions = {},
): Promise<HeartbeatAnswer> {
  const now = options.now ?? new Date();
  const url = new URL(beat.address).toString().replace(/\/$/, "");
  const data = {
    url,
    name: beat.name,
    version: beat.version,
    appliedVersion: beat.snapshotVersion,
    appliedHash: beat.snapshotHash,
    reportsStale: beat.stale,
    upstreamHealth: beat.upstreams as Prisma.InputJsonValue,
    lastHeartbeatAt: now,
    lastSeenAt: now,
  };
  await db.$transaction(async (tx) => {
    const byId = await tx.dataPlaneNode.findUnique({ where: { id: beat.id } });
    const byUrl = await tx.dataPlaneNode.findUnique({ where: { url } });
    if (byUrl && byUrl.id !== beat.id) {
      if (byId) await tx.dataPlaneNode.delete({ where: { id: byUrl.id } });
      else {
        await tx.dataPlaneNode.update({ where: { id: byUrl.id }, data: { id: beat.id, ...data } });
        return;
      }
    }
    await tx.dataPlaneNode.upsert({ where: { id: beat.id }, create: { id: beat.id, ...data }, update: data });
  });
  const target = (await loadFleetTargets(db)).forNode(beat.id);
  const answer: HeartbeatAnswer = { targetVersion: target?.version ?? null, targetHash: target?.sha256 ?? null };
  if (options.secretsKey && beat.encryptionKey)
    answer.dataKeys = await wrapDataKeyForNode(deriveFleetDataKey(options.secretsKey), beat.encryptionKey);
  return answer;
}

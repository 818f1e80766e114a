import type { Db } from "../db/open-database.ts";

export type PushOutcome = { nodeId: string; url: string; ok: boolean; status?: number; error?: string };

type Node = { id: string; url: string };
type Pushable = { version: number; sha256: string; jws: string };

/**
 * Pushes a signed snapshot to one data plane. A node that already has this
 * version answers 409, which counts as delivered.
 */
export async function pushSnapshotToNode(db: Db, node: Node, snapshot: Pushable, timeoutMs = 5000) {
  let outcome: PushOutcome;
  try {
    const response = await fetch(`${node.url}/_only1mcp/snapshot`, {
      method: "PUT",
      headers: { "content-type": "application/jose" },
      body: snapshot.jws,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    outcome =
      response.ok || response.status === 409
        ? { nodeId: node.id, url: node.url, ok: true, status: response.status }
        : { nodeId: node.id, url: node.url, ok: false, status: response.status, error: body.slice(0, 500) };
  } catch (error) {
    outcome = { nodeId: node.id, url: node.url, ok: false, error: (error as Error).message };
  }
  await db.dataPlaneNode.update({
    where: { id: node.id },
    data: outcome.ok
      ? {
          appliedVersion: snapshot.version,
          appliedHash: snapshot.sha256,
          lastSeenAt: new Date(),
          lastPublishError: null,
        }
      : { lastPublishError: outcome.error ?? `HTTP ${outcome.status}` },
  });
  return outcome;
}

/** Pushes a signed snapshot to every registered data plane. */
export async function pushSnapshotToNodes(db: Db, snapshot: Pushable, timeoutMs = 5000): Promise<PushOutcome[]> {
  const nodes = await db.dataPlaneNode.findMany({ orderBy: { id: "asc" } });
  return Promise.all(nodes.map((node) => pushSnapshotToNode(db, node, snapshot, timeoutMs)));
}

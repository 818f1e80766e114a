import type { JWK } from "jose";
import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Database } from "../db/open-database.ts";
import type { SecretsKey } from "../secrets/secrets-key.ts";
import type { SigningKey } from "../signing/signing-key.ts";
import { type PublishedSnapshot, publishSnapshot, SnapshotStatus } from "../snapshots/publish-snapshot.ts";
import { restoreSnapshotContent } from "../snapshots/restore-snapshot.ts";

export type RolloutFailure =
  | { ok: false; code: "NOT_FOUND"; message: string }
  | { ok: false; code: "NOT_STAGED"; message: string }
  | { ok: false; code: "UNKNOWN_NODES"; message: string; nodeIds: string[] };

/** Publishes the current state to a named subset of data planes only. */
export async function startStagedRollout(
  db: Database,
  signingKey: SigningKey,
  actor: Actor,
  input: { nodeIds: readonly string[]; ttlMs?: number | null },
  options: { secretsKey?: SecretsKey; trustedKeys?: readonly JWK[] } = {},
): Promise<{ ok: true; snapshot: PublishedSnapshot } | RolloutFailure> {
  const known = await db.dataPlaneNode.findMany({ where: { id: { in: [...input.nodeIds] } }, select: { id: true } });
  const unknown = input.nodeIds.filter((id) => !known.some((node) => node.id === id));
  if (unknown.length > 0 || input.nodeIds.length === 0)
    return {
      ok: false,
      code: "UNKNOWN_NODES",
      message: "a staged rollout needs known data-plane ids",
      nodeIds: unknown,
    };
  const snapshot = await publishSnapshot(db, signingKey, actor, {
    stagedNodeIds: [...input.nodeIds].sort(),
    ttlMs: input.ttlMs ?? null,
    ...(options.secretsKey ? { secretsKey: options.secretsKey } : {}),
    ...(options.trustedKeys ? { trustedKeys: options.trustedKeys } : {}),
  });
  return { ok: true, snapshot };
}

/** The staged version becomes current: every data plane gets the same signed bytes. */
export async function promoteRollout(
  db: Database,
  actor: Actor,
  input: { version: number },
): Promise<{ ok: true; version: number } | RolloutFailure> {
  return db.$transaction(async (tx) => {
    const snapshot = await tx.snapshot.findUnique({ where: { version: input.version } });
    if (!snapshot) return { ok: false, code: "NOT_FOUND", message: `no snapshot version ${input.version}` };
    if (snapshot.status !== SnapshotStatus.staged)
      return { ok: false, code: "NOT_STAGED", message: `version ${input.version} is ${snapshot.status}, not staged` };
    await tx.snapshot.update({ where: { version: input.version }, data: { status: SnapshotStatus.active } });
    await recordAdminEvent(tx, { actor, action: AdminAuditAction.rolloutPromoted, detail: { version: input.version } });
    return { ok: true, version: input.version };
  });
}

/**
 * Abandons a staged version. The staged nodes already run it and refuse anything
 * older, so the last current content is re-signed as a newer version for everyone.
 */
export async function rollBackRollout(
  db: Database,
  signingKey: SigningKey,
  actor: Actor,
  input: { version: number },
): Promise<{ ok: true; version: number; restoredFrom: number } | RolloutFailure> {
  const snapshot = await db.snapshot.findUnique({ where: { version: input.version } });
  if (!snapshot) return { ok: false, code: "NOT_FOUND", message: `no snapshot version ${input.version}` };
  if (snapshot.status !== SnapshotStatus.staged)
    return { ok: false, code: "NOT_STAGED", message: `version ${input.version} is ${snapshot.status}, not staged` };
  const current = await db.snapshot.findFirst({
    where: { status: SnapshotStatus.active, version: { lt: input.version } },
    orderBy: { version: "desc" },
  });
  if (!current) return { ok: false, code: "NOT_FOUND", message: "no earlier current snapshot to return to" };
  const restored = await restoreSnapshotContent(db, signingKey, actor, { fromVersion: current.version }, [
    input.version,
  ]);
  if (!restored.ok) return restored;
  await recordAdminEvent(db, {
    actor,
    action: AdminAuditAction.rolloutRolledBack,
    detail: { version: input.version, replacedBy: restored.version },
  });
  return { ok: true, version: restored.version, restoredFrom: current.version };
}

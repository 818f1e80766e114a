import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Database } from "../db/open-database.ts";
import type { SigningKey } from "../signing/signing-key.ts";
import { decodeSnapshotPayload } from "./decode-snapshot-payload.ts";
import { PUBLISH_LOCK, SnapshotStatus } from "./publish-snapshot.ts";
import { signSnapshot } from "./sign-snapshot.ts";

export type RollbackRequestResult =
  | { ok: false; code: "ROLLBACK_REFUSED"; message: string; currentVersion: number | null }
  | { ok: false; code: "NOT_FOUND"; message: string };

/**
 * Making an older version current again is refused: data planes only accept newer
 * versions, so a version that goes backwards would split the fleet. The way back is
 * restoreSnapshotContent (the old content under a new version).
 */
export async function requestRollback(db: Database, input: { toVersion: number }): Promise<RollbackRequestResult> {
  const target = await db.snapshot.findUnique({ where: { version: input.toVersion }, select: { version: true } });
  if (!target) return { ok: false, code: "NOT_FOUND", message: `no snapshot version ${input.toVersion}` };
  const current = await db.snapshot.findFirst({ orderBy: { version: "desc" }, select: { version: true } });
  return {
    ok: false,
    code: "ROLLBACK_REFUSED",
    message: `versions only move forward (current ${current?.version ?? "none"}); restore version ${input.toVersion}'s content as a new version instead`,
    currentVersion: current?.version ?? null,
  };
}

export type RestoreResult =
  | { ok: true; version: number; sha256: string; restoredFrom: number }
  | { ok: false; code: "NOT_FOUND"; message: string };

/** Re-signs an earlier snapshot's content as the next version and makes it current. */
export async function restoreSnapshotContent(
  db: Database,
  signingKey: SigningKey,
  actor: Actor,
  input: { fromVersion: number; now?: Date },
  markRolledBack: readonly number[] = [],
): Promise<RestoreResult> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(${PUBLISH_LOCK})::text`;
    const source = await tx.snapshot.findUnique({ where: { version: input.fromVersion } });
    if (!source) return { ok: false, code: "NOT_FOUND", message: `no snapshot version ${input.fromVersion}` };
    const newest = await tx.snapshot.findFirst({ orderBy: { version: "desc" } });
    const version = (newest?.version ?? 0) + 1;
    const now = input.now ?? new Date();
    const payload = { ...decodeSnapshotPayload(source.jws), version, issuedAt: now.toISOString(), expiresAt: null };
    // Old content, current key announcement: a restored snapshot must not un-rotate the keys.
    const announced = newest ? decodeSnapshotPayload(newest.jws).trustedKeys : undefined;
    if (announced)
      payload.trustedKeys = announced.some((key) => key.kid === signingKey.kid)
        ? announced
        : [...announced, { kty: "OKP", crv: "Ed25519", x: String(signingKey.publicJwk.x), kid: signingKey.kid }];
    else delete payload.trustedKeys;
    const signed = await signSnapshot(payload, signingKey);
    if (markRolledBack.length > 0)
      await tx.snapshot.updateMany({
        where: { version: { in: [...markRolledBack] } },
        data: { status: SnapshotStatus.rolledBack },
      });
    await tx.snapshot.create({
      data: {
        version,
        sha256: signed.sha256,
        contentHash: source.contentHash,
        jws: signed.jws,
        sizeBytes: signed.sizeBytes,
        createdAt: now,
        createdById: actor.kind === "operator" ? actor.operatorId : null,
        kid: signingKey.kid,
        status: SnapshotStatus.active,
      },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.snapshotRestored,
      detail: { version, restoredFrom: input.fromVersion, rolledBack: [...markRolledBack] },
    });
    return { ok: true, version, sha256: signed.sha256, restoredFrom: input.fromVersion };
  });
}

import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Database } from "../db/open-database.ts";
import type { SigningKey } from "../signing/signing-key.ts";
import { buildPayload, compileState } from "./compile-snapshot.ts";
import { signSnapshot } from "./sign-snapshot.ts";

export type PublishedSnapshot = {
  version: number;
  sha256: string;
  contentHash: string;
  jws: string;
  sizeBytes: number;
  createdAt: Date;
  /** false when the state was unchanged and the latest snapshot was kept. */
  created: boolean;
};

// Serialises publishers so versions stay strictly increasing.
const PUBLISH_LOCK = 7_112_026;

/**
 * Compiles, signs and stores the next snapshot version. Idempotent: when the
 * compiled state equals the latest snapshot's, that snapshot is returned.
 */
export async function publishSnapshot(
  db: Database,
  signingKey: SigningKey,
  actor: Actor,
  options: { now?: Date; ttlMs?: number | null } = {},
): Promise<PublishedSnapshot> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(${PUBLISH_LOCK})::text`;
    const now = options.now ?? new Date();
    const state = await compileState(tx, now);
    const latest = await tx.snapshot.findFirst({ orderBy: { version: "desc" } });
    if (latest && latest.contentHash === state.contentHash) return { ...latest, created: false };
    const version = (latest?.version ?? 0) + 1;
    const expiresAt = options.ttlMs ? new Date(now.getTime() + options.ttlMs) : null;
    const signed = await signSnapshot(buildPayload(state, { version, issuedAt: now, expiresAt }), signingKey);
    const row = await tx.snapshot.create({
      data: {
        version,
        sha256: signed.sha256,
        contentHash: state.contentHash,
        jws: signed.jws,
        sizeBytes: signed.sizeBytes,
        createdById: actor.kind === "operator" ? actor.operatorId : null,
        createdAt: now,
      },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.snapshotPublished,
      detail: { version, sha256: signed.sha256, kid: signingKey.kid },
    });
    return { ...row, created: true };
  });
}

export async function getCurrentSnapshot(db: Pick<Database, "snapshot">) {
  return db.snapshot.findFirst({
    orderBy: { version: "desc" },
    select: { version: true, sha256: true, jws: true, createdAt: true, sizeBytes: true },
  });
}

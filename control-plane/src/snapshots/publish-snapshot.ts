import type { JWK } from "jose";
import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Database } from "../db/open-database.ts";
import type { SecretsKey } from "../secrets/secrets-key.ts";
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
  status: string;
  expiresAt: Date | null;
};

export type PublishOptions = {
  now?: Date;
  /** After this long a data plane still serving the snapshot reports stale; null: never. */
  ttlMs?: number | null;
  /** Staged rollout: only these data planes get the new version until it is promoted. */
  stagedNodeIds?: readonly string[];
  /** Seals upstream env/header values for the fleet; required once any upstream has one. */
  secretsKey?: SecretsKey;
  /** Signing keys to announce (active, staged next, retired in overlap): data planes follow a rotation. */
  trustedKeys?: readonly JWK[];
};

export const SnapshotStatus = {
  active: "active",
  staged: "staged",
  /** A staged version that a later publish replaced before promotion. */
  superseded: "superseded",
  rolledBack: "rolled_back",
} as const;

// Serialises publishers so versions stay strictly increasing.
export const PUBLISH_LOCK = 7_112_026;

/**
 * Compiles, signs and stores the next snapshot version. Idempotent: when the
 * compiled state equals the latest snapshot's, that snapshot is returned.
 */
export async function publishSnapshot(
  db: Database,
  signingKey: SigningKey,
  actor: Actor,
  options: PublishOptions = {},
): Promise<PublishedSnapshot> {
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(${PUBLISH_LOCK})::text`;
    const now = options.now ?? new Date();
    const state = await compileState(tx, now, {
      ...(options.secretsKey ? { secretsKey: options.secretsKey } : {}),
      ...(options.trustedKeys ? { trustedKeys: options.trustedKeys } : {}),
    });
    const staging = options.stagedNodeIds !== undefined;
    const newest = await tx.snapshot.findFirst({ orderBy: { version: "desc" } });
    const latest = await tx.snapshot.findFirst({
      where: { status: { in: [SnapshotStatus.active, SnapshotStatus.staged] } },
      orderBy: { version: "desc" },
    });
    const sameStatus = latest?.status === (staging ? SnapshotStatus.staged : SnapshotStatus.active);
    if (latest && latest.contentHash === state.contentHash && (sameStatus || !staging))
      return { ...latest, created: false };
    // Versions only move forward, past rolled-back and superseded ones too.
    const version = (newest?.version ?? 0) + 1;
    await tx.snapshot.updateMany({
      where: { status: SnapshotStatus.staged },
      data: { status: SnapshotStatus.superseded },
    });
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
        kid: signingKey.kid,
        expiresAt,
        status: staging ? SnapshotStatus.staged : SnapshotStatus.active,
        stagedNodeIds: staging ? [...(options.stagedNodeIds ?? [])] : undefined,
      },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.snapshotPublished,
      detail: {
        version,
        sha256: signed.sha256,
        kid: signingKey.kid,
        ...(staging ? { stagedNodeIds: [...(options.stagedNodeIds ?? [])] } : {}),
      },
    });
    return { ...row, created: true };
  });
}

/** The latest snapshot every data plane should have (staged ones are not current). */
export async function getCurrentSnapshot(db: Pick<Database, "snapshot">) {
  return db.snapshot.findFirst({
    where: { status: SnapshotStatus.active },
    orderBy: { version: "desc" },
    select: { version: true, sha256: true, jws: true, createdAt: true, sizeBytes: true },
  });
}

import { NO_TENANT_CHAIN } from "../audit/audit-chain.ts";
import type { Actor } from "../audit/record-audit-event.ts";
import { AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Database } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";

export const DEFAULT_RETENTION_DAYS = 365;
const DAY_MS = 24 * 3600 * 1000;

export type RetentionOutcome = { chainKey: string; cutoff: string; removed: number; lastRemovedSeq: number | null };

/**
 * Removes each chain's events received before its tenant's retention window, as a
 * prefix of the chain (so what stays still verifies), and records per chain what it
 * removed and the last removed hash (the anchor the verifier resumes from).
 * Idempotent: a second run with the same clock removes nothing more.
 */
export async function applyAuditRetention(
  db: Database,
  options: { now?: Date; actor?: Actor } = {},
): Promise<RetentionOutcome[]> {
  const now = options.now ?? new Date();
  const tenants = await db.tenant.findMany({ select: { id: true, auditRetentionDays: true } });
  const days = new Map(tenants.map((t) => [t.id, t.auditRetentionDays]));
  const heads = await db.auditChainHead.findMany({ select: { chainKey: true } });
  const outcomes: RetentionOutcome[] = [];
  for (const { chainKey } of heads) {
    const keepDays =
      chainKey === NO_TENANT_CHAIN ? DEFAULT_RETENTION_DAYS : (days.get(chainKey) ?? DEFAULT_RETENTION_DAYS);
    const cutoff = new Date(now.getTime() - keepDays * DAY_MS);
    const outcome = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`audit-chain:${chainKey}`}))::text`;
      const last = await tx.dataPlaneEvent.findFirst({
        where: { chainKey, receivedAt: { lt: cutoff } },
        orderBy: { seq: "desc" },
        select: { seq: true, hash: true },
      });
      if (!last) return { chainKey, cutoff: cutoff.toISOString(), removed: 0, lastRemovedSeq: null };
      const { count } = await tx.dataPlaneEvent.deleteMany({ where: { chainKey, seq: { lte: last.seq } } });
      await tx.retentionRun.create({
        data: {
          id: generateId("ret"),
          chainKey,
          cutoff,
          removedCount: count,
          lastRemovedSeq: last.seq,
          lastRemovedHash: last.hash,
          createdAt: now,
        },
      });
      return { chainKey, cutoff: cutoff.toISOString(), removed: count, lastRemovedSeq: last.seq };
    });
    outcomes.push(outcome);
  }
  const removed = outcomes.filter((o) => o.removed > 0);
  if (removed.length > 0)
    await recordAdminEvent(db, {
      actor: options.actor ?? { kind: "system", name: "retention" },
      action: AdminAuditAction.auditRetentionApplied,
      detail: { chains: removed.map((o) => ({ chainKey: o.chainKey, removed: o.removed, cutoff: o.cutoff })) },
    });
  return outcomes;
}

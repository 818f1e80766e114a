import type { Db } from "../db/open-database.ts";

export type TenantTraffic = {
  tenantId: string | null;
  requests: number;
  errors: number;
  denied: number;
  avgLatencyMs: number | null;
};

/**
 * Requests, errors and denied calls per tenant since a moment (the overview's last 24 h):
 * one GROUP BY over the occurredAt range (indexed by [occurredAt] and [tenantId, occurredAt]),
 * so its cost follows the window's events, not the whole audit history.
 * tenantId null gathers events without a tenant (failed authentication).
 */
export async function summarizeTraffic(
  db: Db,
  input: { since: Date; tenantIds: readonly string[] | "all" },
): Promise<TenantTraffic[]> {
  const groups = await db.dataPlaneEvent.groupBy({
    by: ["tenantId", "decision"],
    where: {
      occurredAt: { gte: input.since },
      ...(input.tenantIds === "all" ? {} : { tenantId: { in: [...input.tenantIds] } }),
    },
    _count: { _all: true, latencyMs: true },
    _sum: { latencyMs: true },
  });
  const byTenant = new Map<string | null, TenantTraffic & { latencySum: number; timed: number }>();
  for (const group of groups) {
    const row = byTenant.get(group.tenantId) ?? {
      tenantId: group.tenantId,
      requests: 0,
      errors: 0,
      denied: 0,
      avgLatencyMs: null,
      latencySum: 0,
      timed: 0,
    };
    const count = group._count._all;
    row.requests += count;
    if (group.decision === "error") row.errors += count;
    if (group.decision === "deny") row.denied += count;
    if (group._sum.latencyMs !== null) {
      row.latencySum += group._sum.latencyMs;
      row.timed += group._count.latencyMs;
    }
    byTenant.set(group.tenantId, row);
  }
  return [...byTenant.values()]
    .map(({ latencySum, timed, ...row }) => ({ ...row, avgLatencyMs: timed > 0 ? latencySum / timed : null }))
    .sort((a, b) => b.requests - a.requests);
}

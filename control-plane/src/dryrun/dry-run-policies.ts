import type { Db } from "../db/open-database.ts";

/** A call the data planes recorded, as the candidate policy sees it. */
export type RecordedCall = {
  tenantId: string | null;
  keyId: string | null;
  method: string | null;
  server: string | null;
  tool: string | null;
  originalTool: string | null;
  decision: string;
  code: string;
  occurredAt: Date;
};

/**
 * The candidate policy's decision for one recorded call. Injected: the policy engine
 * the data plane enforces (compiled from the candidate snapshot) is the one to ask,
 * so the dry run can never disagree with enforcement.
 */
export type CandidateDecider = (call: RecordedCall) => "allow" | "deny";

export type CallerChange = { tenantId: string | null; keyId: string | null; tool: string | null; calls: number };

export type DryRunResult = {
  from: string;
  to: string;
  examined: number;
  /** Callers (key + tool) that were allowed and would now be denied. */
  newlyDenied: CallerChange[];
  /** Callers that were denied by policy and would now be allowed. */
  newlyAllowed: CallerChange[];
};

const PAGE = 5000;

/** Replays the last `days` of recorded authorization decisions against a candidate policy. */
export async function dryRunPolicies(
  db: Db,
  input: { days: number; tenantId?: string; now?: Date; decide: CandidateDecider },
): Promise<DryRunResult> {
  const to = input.now ?? new Date();
  const from = new Date(to.getTime() - input.days * 24 * 3600 * 1000);
  const denied = new Map<string, CallerChange>();
  const allowed = new Map<string, CallerChange>();
  let examined = 0;
  let cursor: { occurredAt: Date; id: string } | undefined;
  const window = {
    decision: { in: ["allow", "deny"] },
    occurredAt: { gte: from, lt: to },
    ...(input.tenantId ? { tenantId: input.tenantId } : {}),
  };
  // The data plane records each decision as an `authorization` event, and each allowed
  // tools/call again as a `call` event once it returns: replaying both would count every
  // allowed call twice. Decisions are read from `authorization` events; only where the
  // audit settings dropped those (no authorization event in the window) from `call` events.
  const authorizations = await db.dataPlaneEvent.count({ where: { ...window, kind: "authorization" } });
  const kind = authorizations > 0 ? "authorization" : "call";
  for (;;) {
    const rows = await db.dataPlaneEvent.findMany({
      where: {
        ...window,
        kind,
        ...(cursor
          ? {
              OR: [{ occurredAt: { gt: cursor.occurredAt } }, { occurredAt: cursor.occurredAt, id: { gt: cursor.id } }],
            }
          : {}),
      },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      take: PAGE,
    });
    for (const row of rows) {
      examined += 1;
      const was = row.decision;
      // A denial for another reason (rate limit, expired key) is not the policy's to lift.
      if (was === "deny" && row.code !== "FORBIDDEN") continue;
      const now = input.decide(row);
      if (now === was) continue;
      const target = now === "deny" ? denied : allowed;
      const key = JSON.stringify([row.tenantId, row.keyId, row.tool]);
      const entry = target.get(key) ?? { tenantId: row.tenantId, keyId: row.keyId, tool: row.tool, calls: 0 };
      entry.calls += 1;
      target.set(key, entry);
    }
    const last = rows.at(-1);
    if (rows.length < PAGE || !last) break;
    cursor = { occurredAt: last.occurredAt, id: last.id };
  }
  const byCalls = (a: CallerChange, b: CallerChange) => b.calls - a.calls;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    examined,
    newlyDenied: [...denied.values()].sort(byCalls),
    newlyAllowed: [...allowed.values()].sort(byCalls),
  };
}

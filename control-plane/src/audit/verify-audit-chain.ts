import type { Db } from "../db/open-database.ts";
import { type ChainedFields, eventHash, GENESIS_HASH } from "./audit-chain.ts";

export type ChainProblem =
  | { kind: "EDITED"; seq: number; id: string }
  | { kind: "BROKEN_LINK"; seq: number; id: string }
  | { kind: "MISSING"; fromSeq: number; toSeq: number };

export type ChainVerification = {
  chainKey: string;
  ok: boolean;
  checked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  problems: ChainProblem[];
};

const PAGE = 2000;

/**
 * Recomputes every hash of a chain (or a seq range of it) and checks each link:
 * an edited row fails its hash, a deleted row leaves a seq gap and a broken link,
 * deleted newest rows fall short of the chain head. The start is anchored on the
 * row before the range, on the last retention run, or on the genesis hash.
 */
export async function verifyAuditChain(
  db: Db,
  input: { chainKey: string; fromSeq?: number; toSeq?: number },
): Promise<ChainVerification> {
  const problems: ChainProblem[] = [];
  const head = await db.auditChainHead.findUnique({ where: { chainKey: input.chainKey } });
  const retention = await db.retentionRun.findFirst({
    where: { chainKey: input.chainKey, lastRemovedSeq: { not: null } },
    orderBy: { lastRemovedSeq: "desc" },
  });
  const retainedFrom = (retention?.lastRemovedSeq ?? 0) + 1;
  const fromSeq = Math.max(input.fromSeq ?? retainedFrom, retainedFrom);
  const toSeq = Math.min(input.toSeq ?? head?.seq ?? 0, head?.seq ?? 0);

  let expectedSeq = fromSeq;
  let expectedPrev: string | undefined;
  if (fromSeq === retainedFrom) expectedPrev = retention?.lastRemovedHash ?? GENESIS_HASH;
  else {
    const before = await db.dataPlaneEvent.findUnique({
      where: { chainKey_seq: { chainKey: input.chainKey, seq: fromSeq - 1 } },
      select: { hash: true },
    });
    expectedPrev = before?.hash;
  }

  let checked = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let cursor = fromSeq;
  while (cursor <= toSeq) {
    const rows = await db.dataPlaneEvent.findMany({
      where: { chainKey: input.chainKey, seq: { gte: cursor, lte: toSeq } },
      orderBy: { seq: "asc" },
      take: PAGE,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      const { hash, ...fields } = row;
      if (row.seq !== expectedSeq) {
        problems.push({ kind: "MISSING", fromSeq: expectedSeq, toSeq: row.seq - 1 });
        expectedPrev = undefined;
      }
      if (expectedPrev !== undefined && row.prevHash !== expectedPrev)
        problems.push({ kind: "BROKEN_LINK", seq: row.seq, id: row.id });
      if (eventHash(fields as ChainedFields) !== hash) problems.push({ kind: "EDITED", seq: row.seq, id: row.id });
      firstSeq ??= row.seq;
      lastSeq = row.seq;
      expectedSeq = row.seq + 1;
      expectedPrev = hash;
      checked += 1;
    }
    cursor = expectedSeq;
  }
  if (expectedSeq <= toSeq) problems.push({ kind: "MISSING", fromSeq: expectedSeq, toSeq });
  if (head && lastSeq === head.seq && expectedPrev !== head.hash)
    problems.push({ kind: "EDITED", seq: head.seq, id: "(chain head)" });
  return { chainKey: input.chainKey, ok: problems.length === 0, checked, firstSeq, lastSeq, problems };
}

/** Every chain, for reports and the console. */
export async function verifyAllAuditChains(db: Db): Promise<ChainVerification[]> {
  const heads = await db.auditChainHead.findMany({ orderBy: { chainKey: "asc" }, select: { chainKey: true } });
  const results: ChainVerification[] = [];
  for (const { chainKey } of heads) results.push(await verifyAuditChain(db, { chainKey }));
  return results;
}

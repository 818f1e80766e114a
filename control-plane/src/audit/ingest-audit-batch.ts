import type { AuditBatchV1, AuditEventV1 } from "@only1mcp/data-plane";
import type { Database } from "../db/open-database.ts";
import { type ChainedFields, chainKeyFor, eventHash, GENESIS_HASH } from "./audit-chain.ts";
import { insertChainedEvents, storedEventIds, touchApiKeysUsed } from "./insert-chained-events.ts";

export type IngestResult = { accepted: number; duplicates: number };

/**
 * Stores a batch shipped by a data plane, exactly once per event id: delivery is
 * at-least-once (a batch is re-sent when its acknowledgement was lost), so ids
 * already stored are counted as duplicates and skipped. New events are appended to
 * their tenant's hash chain under a per-chain lock, in one transaction, one
 * multi-row INSERT … SELECT FROM unnest (insert-chained-events.ts).
 */
export async function ingestAuditBatch(db: Database, batch: AuditBatchV1, now = new Date()): Promise<IngestResult> {
  const unique = new Map<string, AuditEventV1>();
  for (const event of batch.events) if (!unique.has(event.id)) unique.set(event.id, event);
  const byChain = new Map<string, AuditEventV1[]>();
  for (const event of unique.values()) {
    const key = chainKeyFor(event.tenantId);
    byChain.set(key, [...(byChain.get(key) ?? []), event]);
  }

  const accepted = await db.$transaction(
    async (tx) => {
      // Sorted, so two batches touching the same chains never deadlock.
      for (const key of [...byChain.keys()].sort()) {
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`audit-chain:${key}`}))::text`;
      }
      // Checked under the locks: a concurrent re-send of this batch has committed or waits.
      const stored = await storedEventIds(tx, [...unique.keys()]);
      const rows: Array<ChainedFields & { hash: string }> = [];
      for (const [chainKey, events] of byChain) {
        const fresh = events
          .filter((event) => !stored.has(event.id))
          .sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.id.localeCompare(b.id));
        if (fresh.length === 0) continue;
        const head = await tx.auditChainHead.findUnique({ where: { chainKey } });
        let seq = head?.seq ?? 0;
        let prevHash = head?.hash ?? GENESIS_HASH;
        for (const event of fresh) {
          seq += 1;
          const fields: ChainedFields = {
            id: event.id,
            chainKey,
            seq,
            prevHash,
            tenantId: event.tenantId,
            nodeId: event.nodeId,
            keyId: event.keyId,
            kind: event.kind,
            method: event.method,
            server: event.server,
            tool: event.tool,
            originalTool: event.originalTool,
            decision: event.decision,
            code: event.code,
            latencyMs: storedLatency(event.latencyMs),
            argsSha256: event.argsSha256,
            clientAddress: event.clientAddress,
            occurredAt: new Date(event.time),
            receivedAt: now,
          };
          const hash = eventHash(fields);
          rows.push({ ...fields, hash });
          prevHash = hash;
        }
        await tx.auditChainHead.upsert({
          where: { chainKey },
          create: { chainKey, seq, hash: prevHash },
          update: { seq, hash: prevHash },
        });
      }
      await insertChainedEvents(tx, rows);
      // The keys' "last used", from the same events, in the same transaction.
      await touchApiKeysUsed(tx, rows);
      return rows.length;
    },
    { timeout: 30_000 },
  );
  return { accepted, duplicates: batch.events.length - accepted };
}

/**
 * Latency kept to the microsecond: the Prisma + PGlite path reads doubles back with
 * 15 significant digits, and the chain hash must match what is read back.
 */
function storedLatency(latencyMs: number | null): number | null {
  return latencyMs === null ? null : Math.round(latencyMs * 1000) / 1000;
}

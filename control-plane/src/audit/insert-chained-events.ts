import type { Prisma } from "../db/generated/client.ts";
import type { ChainedFields } from "./audit-chain.ts";

type Tx = Pick<Prisma.TransactionClient, "$executeRaw" | "$queryRaw">;

/** The ids of a batch already stored (one indexed lookup, one array parameter). */
export async function storedEventIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "DataPlaneEvent" WHERE "id" = ANY(${[...ids]}::text[])`;
  return new Set(rows.map((row) => row.id));
}

/**
 * Inserts chained events as one multi-row INSERT … SELECT FROM unnest(<one array per
 * column>): 20 parameters whatever the batch size, where a row-per-row createMany binds
 * 20 per event. Timestamps travel as ISO UTC text (the columns are timestamp(3) in UTC).
 */
export async function insertChainedEvents(
  tx: Tx,
  rows: ReadonlyArray<ChainedFields & { hash: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof (ChainedFields & { hash: string })>(key: K) => rows.map((row) => row[key]);
  await tx.$executeRaw`
    INSERT INTO "DataPlaneEvent" ("id", "chainKey", "seq", "prevHash", "hash", "tenantId", "nodeId", "keyId",
      "kind", "method", "server", "tool", "originalTool", "decision", "code", "latencyMs", "argsSha256",
      "clientAddress", "occurredAt", "receivedAt")
    SELECT * FROM unnest(
      ${column("id")}::text[], ${column("chainKey")}::text[], ${column("seq")}::int[], ${column("prevHash")}::text[],
      ${column("hash")}::text[], ${column("tenantId")}::text[], ${column("nodeId")}::text[], ${column("keyId")}::text[],
      ${column("kind")}::text[], ${column("method")}::text[], ${column("server")}::text[], ${column("tool")}::text[],
      ${column("originalTool")}::text[], ${column("decision")}::text[], ${column("code")}::text[],
      ${column("latencyMs")}::float8[], ${column("argsSha256")}::text[], ${column("clientAddress")}::text[],
      ${rows.map((row) => row.occurredAt.toISOString())}::timestamp(3)[],
      ${rows.map((row) => row.receivedAt.toISOString())}::timestamp(3)[]
    )`;
}

/**
 * API keys' `lastUsedAt` from a batch: the newest event per key that shows it was
 * used (authenticated: a successful authentication, or any authorization or call
 * decision). One statement; never moves a key's lastUsedAt backwards; unknown ids
 * (a key deleted since) match nothing.
 */
export async function touchApiKeysUsed(
  tx: Tx,
  rows: ReadonlyArray<Pick<ChainedFields, "keyId" | "kind" | "decision" | "occurredAt">>,
): Promise<void> {
  const newest = new Map<string, Date>();
  for (const row of rows) {
    if (!row.keyId || (row.kind === "authentication" && row.decision !== "allow")) continue;
    const seen = newest.get(row.keyId);
    if (!seen || seen < row.occurredAt) newest.set(row.keyId, row.occurredAt);
  }
  if (newest.size === 0) return;
  const ids = [...newest.keys()].sort();
  await tx.$executeRaw`
    UPDATE "ApiKey" AS k SET "lastUsedAt" = u.at
    FROM unnest(${ids}::text[], ${ids.map((id) => newest.get(id)?.toISOString())}::timestamp(3)[]) AS u(id, at)
    WHERE k."id" = u.id AND (k."lastUsedAt" IS NULL OR k."lastUsedAt" < u.at)`;
}

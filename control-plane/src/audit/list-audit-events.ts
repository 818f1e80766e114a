import { z } from "zod";
import type { Prisma } from "../db/generated/client.ts";
import type { Db } from "../db/open-database.ts";
import { type AuditEventFilter, auditEventFilterSchema } from "./audit-filter-schema.ts";

export type { AuditEventFilter };

export type AuditEventRow = {
  id: string;
  source: "data-plane" | "admin";
  time: string;
  tenantId: string | null;
  kind: string;
  actor: string | null;
  action: string | null;
  keyId: string | null;
  nodeId: string | null;
  method: string | null;
  tool: string | null;
  decision: string | null;
  code: string | null;
  latencyMs: number | null;
  seq: number | null;
  hash: string | null;
};

export type AuditEventPage = { events: AuditEventRow[]; nextCursor: string | null };

/** Newest first; the cursor is the last row's (time, id), so pages never skip or repeat. */
export async function listAuditEvents(
  db: Db,
  input: AuditEventFilter,
  scope: { tenantIds: readonly string[] | "all" } = { tenantIds: "all" },
): Promise<AuditEventPage> {
  const filter = auditEventFilterSchema.parse(input);
  const cursor = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  const tenantScope =
    scope.tenantIds === "all"
      ? filter.tenantId
        ? { tenantId: filter.tenantId }
        : {}
      : {
          tenantId: {
            in: filter.tenantId ? scope.tenantIds.filter((id) => id === filter.tenantId) : [...scope.tenantIds],
          },
        };
  const range = {
    ...(filter.from ? { gte: new Date(filter.from) } : {}),
    ...(filter.to ? { lt: new Date(filter.to) } : {}),
  };
  const take = filter.limit + 1;
  let rows: AuditEventRow[];
  if (filter.source === "data-plane") {
    const where: Prisma.DataPlaneEventWhereInput = {
      ...tenantScope,
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.decision ? { decision: filter.decision } : {}),
      ...(filter.keyId ? { keyId: filter.keyId } : {}),
      ...(filter.tool ? { tool: filter.tool } : {}),
      ...(filter.from || filter.to ? { occurredAt: range } : {}),
      // (occurredAt, id) < cursor, written with a plain upper bound the index can seek to.
      ...(cursor
        ? {
            AND: [
              { occurredAt: { lte: cursor.time } },
              { OR: [{ occurredAt: { lt: cursor.time } }, { id: { lt: cursor.id } }] },
            ],
          }
        : {}),
    };
    const found = await db.dataPlaneEvent.findMany({ where, orderBy: [{ occurredAt: "desc" }, { id: "desc" }], take });
    rows = found.map((row) => ({
      id: row.id,
      source: "data-plane",
      time: row.occurredAt.toISOString(),
      tenantId: row.tenantId,
      kind: row.kind,
      actor: row.keyId,
      action: row.method,
      keyId: row.keyId,
      nodeId: row.nodeId,
      method: row.method,
      tool: row.tool,
      decision: row.decision,
      code: row.code,
      latencyMs: row.latencyMs,
      seq: row.seq,
      hash: row.hash,
    }));
  } else {
    const where: Prisma.AuditEventWhereInput = {
      ...tenantScope,
      ...(filter.kind ? { kind: filter.kind } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.decision ? { decision: filter.decision } : {}),
      ...(filter.from || filter.to ? { createdAt: range } : {}),
      ...(cursor
        ? {
            AND: [
              { createdAt: { lte: cursor.time } },
              { OR: [{ createdAt: { lt: cursor.time } }, { id: { lt: cursor.id } }] },
            ],
          }
        : {}),
    };
    const found = await db.auditEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take });
    rows = found.map((row) => ({
      id: row.id,
      source: "admin",
      time: row.createdAt.toISOString(),
      tenantId: row.tenantId,
      kind: row.kind,
      actor: row.actor,
      action: row.action,
      keyId: null,
      nodeId: null,
      method: null,
      tool: null,
      decision: row.decision,
      code: null,
      latencyMs: null,
      seq: null,
      hash: null,
    }));
  }
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return { events: page, nextCursor: rows.length > filter.limit && last ? encodeCursor(last.time, last.id) : null };
}

function encodeCursor(time: string, id: string): string {
  return Buffer.from(JSON.stringify([time, id])).toString("base64url");
}

function decodeCursor(cursor: string): { time: Date; id: string } | undefined {
  try {
    const [time, id] = z
      .tuple([z.iso.datetime(), z.string().min(1)])
      .parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { time: new Date(time), id };
  } catch {
    return undefined;
  }
}

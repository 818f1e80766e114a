import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AuditEventV1 } from "@only1mcp/data-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployMigrations } from "../db/migrate.ts";
import { type OpenDatabase, openDatabase } from "../db/open-database.ts";
import { ingestAuditBatch } from "./ingest-audit-batch.ts";
import { verifyAuditChain } from "./verify-audit-chain.ts";

// Latencies whose doubles lose digits when read back with 15 significant digits.
const LATENCIES = [1 / 3, 0.1 + 0.2, 12.345678901234567, 1234.5678901234, 0.0004, 2 ** -20, 99999.99999999, null];

const event = (latencyMs: number | null, i: number): AuditEventV1 => ({
  id: randomUUID(),
  time: new Date(Date.now() - 1000 + i).toISOString(),
  nodeId: "dp_pglite",
  tenantId: null,
  keyId: null,
  kind: "call",
  method: "tools/call",
  server: "files",
  tool: "files__read",
  originalTool: "read",
  decision: "allow",
  code: "VALID",
  latencyMs,
  argsSha256: null,
  clientAddress: "127.0.0.1",
});

/**
 * The embedded default (PGlite through the Prisma adapter) reads doubles back with 15
 * significant digits: ingestion stores latency to the microsecond so the chain hash of
 * what is read back still matches.
 */
describe("audit ingestion and chain verification on PGlite", () => {
  let dir: string;
  let database: OpenDatabase;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "o1-pglite-audit-"));
    const config = { kind: "pglite" as const, dataDir: path.join(dir, "pglite") };
    await deployMigrations(config);
    database = await openDatabase(config);
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("round-trips latency values through the hash chain", async () => {
    const events = LATENCIES.map(event);
    expect(await ingestAuditBatch(database.db, { nodeId: "dp_pglite", events })).toEqual({
      accepted: LATENCIES.length,
      duplicates: 0,
    });
    // A second batch continues the chain from the head as read back.
    await ingestAuditBatch(database.db, { nodeId: "dp_pglite", events: [event(7.1234564, 99)] });
    const verification = await verifyAuditChain(database.db, { chainKey: "-" });
    expect(verification).toMatchObject({ ok: true });
    const rows = await database.db.dataPlaneEvent.findMany({ orderBy: { seq: "asc" } });
    // Stored to the microsecond, as hashed.
    expect(rows.map((row) => row.latencyMs)).toEqual([0.333, 0.3, 12.346, 1234.568, 0, 0, 100000, null, 7.123]);

    // Hostile strings survive the array parameters unchanged (quotes, braces, commas,
    // backslashes, the word NULL, newlines, non-ASCII).
    const hostile = [
      'a","b',
      "{x,y}",
      "back\\slash\\",
      "NULL",
      "",
      "line\nbreak",
      "tab\tand ☃ 🦄",
      "'; DROP TABLE x; --",
    ];
    await ingestAuditBatch(database.db, {
      nodeId: "dp_pglite",
      events: hostile.map((text, i) => ({ ...event(1, 200 + i), tool: text, clientAddress: text, keyId: text })),
    });
    const stored = await database.db.dataPlaneEvent.findMany({ where: { seq: { gt: 9 } }, orderBy: { seq: "asc" } });
    expect(stored.map((row) => [row.tool, row.clientAddress, row.keyId])).toEqual(hostile.map((t) => [t, t, t]));
    expect(await verifyAuditChain(database.db, { chainKey: "-" })).toMatchObject({ ok: true });

    // And the verifier still catches an edit on this backend.
    await database.db.dataPlaneEvent.update({ where: { id: rows[2]?.id ?? "" }, data: { latencyMs: 12.347 } });
    expect((await verifyAuditChain(database.db, { chainKey: "-" })).ok).toBe(false);
  });
});

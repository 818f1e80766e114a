import { randomUUID } from "node:crypto";
import type { AuditEventV1 } from "@only1mcp/data-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueApiKey } from "../keys/issue-api-key.ts";
import { listApiKeys } from "../keys/list-api-keys.ts";
import { applyAuditRetention } from "../retention/apply-audit-retention.ts";
import { createTenant } from "../tenants/create-tenant.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";
import { NO_TENANT_CHAIN } from "./audit-chain.ts";
import { ingestAuditBatch } from "./ingest-audit-batch.ts";
import type { Actor } from "./record-audit-event.ts";
import { verifyAllAuditChains, verifyAuditChain } from "./verify-audit-chain.ts";

const actor: Actor = { kind: "system", name: "audit-test" };

function event(tenantId: string | null, overrides: Partial<AuditEventV1> = {}): AuditEventV1 {
  return {
    id: randomUUID(),
    time: new Date().toISOString(),
    nodeId: "dp_test",
    tenantId,
    keyId: tenantId ? "key_1" : null,
    kind: "call",
    method: "tools/call",
    server: "files",
    tool: "files__read",
    originalTool: "read",
    decision: "allow",
    code: "VALID",
    latencyMs: 12.5,
    argsSha256: "a".repeat(64),
    clientAddress: "127.0.0.1",
    ...overrides,
  };
}

describe("audit ingestion with a per-tenant hash chain", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let tenantA: string;
  let tenantB: string;
  let tenantC: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    tenantA = (await createTenant(database.db, { slug: "ta", name: "A" }, actor)).id;
    tenantB = (await createTenant(database.db, { slug: "tb", name: "B" }, actor)).id;
    tenantC = (await createTenant(database.db, { slug: "tc", name: "C" }, actor)).id;
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("stores a batch re-sent after a lost acknowledgement exactly once", async () => {
    const batch = {
      nodeId: "dp_test",
      events: [
        event(tenantA),
        event(tenantA, { decision: "deny", code: "FORBIDDEN" }),
        event(tenantA),
        event(null, { kind: "authentication", code: "NOT_FOUND", decision: "deny" }),
      ],
    };
    expect(await ingestAuditBatch(database.db, batch)).toEqual({ accepted: 4, duplicates: 0 });
    // The acknowledgement was lost: the data plane sends the same batch again, twice at once.
    const [again, concurrent] = await Promise.all([
      ingestAuditBatch(database.db, batch),
      ingestAuditBatch(database.db, batch),
    ]);
    expect(again).toEqual({ accepted: 0, duplicates: 4 });
    expect(concurrent).toEqual({ accepted: 0, duplicates: 4 });
    expect(await database.db.dataPlaneEvent.count()).toBe(4);
    const chainA = await database.db.dataPlaneEvent.findMany({ where: { chainKey: tenantA }, orderBy: { seq: "asc" } });
    expect(chainA.map((row) => row.seq)).toEqual([1, 2, 3]);
    expect(chainA[1]?.prevHash).toBe(chainA[0]?.hash);
    expect((await verifyAllAuditChains(database.db)).map((v) => [v.chainKey, v.ok, v.checked]).sort()).toEqual(
      [
        [NO_TENANT_CHAIN, true, 1],
        [tenantA, true, 3],
      ].sort(),
    );
  });

  it("detects an edited row and a deleted row", async () => {
    const events = Array.from({ length: 5 }, () => event(tenantB));
    await ingestAuditBatch(database.db, { nodeId: "dp_test", events });
    expect(await verifyAuditChain(database.db, { chainKey: tenantB })).toMatchObject({ ok: true, checked: 5 });

    const second = await database.db.dataPlaneEvent.findUniqueOrThrow({
      where: { chainKey_seq: { chainKey: tenantB, seq: 2 } },
    });
    // Someone with database access rewrites a decision.
    await database.db
      .$executeRaw`UPDATE "DataPlaneEvent" SET decision = 'deny' WHERE "chainKey" = ${tenantB} AND seq = 2`;
    const edited = await verifyAuditChain(database.db, { chainKey: tenantB });
    expect(edited.ok).toBe(false);
    expect(edited.problems).toEqual([{ kind: "EDITED", seq: 2, id: second.id }]);
    // A range that does not include the row still verifies.
    expect(await verifyAuditChain(database.db, { chainKey: tenantB, fromSeq: 3, toSeq: 5 })).toMatchObject({
      ok: true,
      checked: 3,
    });

    await database.db.$executeRaw`DELETE FROM "DataPlaneEvent" WHERE "chainKey" = ${tenantB} AND seq = 4`;
    await database.db.$executeRaw`DELETE FROM "DataPlaneEvent" WHERE "chainKey" = ${tenantB} AND seq = 5`;
    const deleted = await verifyAuditChain(database.db, { chainKey: tenantB });
    expect(deleted.problems).toContainEqual({ kind: "MISSING", fromSeq: 4, toSeq: 5 });
  });

  it("removes events past the tenant's retention as a chain prefix, records it, and still verifies", async () => {
    await database.db.tenant.update({ where: { id: tenantC }, data: { auditRetentionDays: 30 } });
    const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    await ingestAuditBatch(database.db, { nodeId: "dp_test", events: [event(tenantC), event(tenantC)] }, longAgo);
    await ingestAuditBatch(database.db, { nodeId: "dp_test", events: [event(tenantC)] });

    const outcomes = await applyAuditRetention(database.db);
    expect(outcomes.find((o) => o.chainKey === tenantC)).toMatchObject({ removed: 2, lastRemovedSeq: 2 });
    // Tenant A keeps the 365-day default: nothing of it goes.
    expect(outcomes.find((o) => o.chainKey === tenantA)).toMatchObject({ removed: 0 });
    const runs = await database.db.retentionRun.findMany({ where: { chainKey: tenantC } });
    expect(runs).toHaveLength(1);
    expect(runs[0]?.removedCount).toBe(2);
    expect(await verifyAuditChain(database.db, { chainKey: tenantC })).toMatchObject({
      ok: true,
      checked: 1,
      firstSeq: 3,
    });
    expect((await applyAuditRetention(database.db)).find((o) => o.chainKey === tenantC)?.removed).toBe(0);
    // The chain continues after retention.
    await ingestAuditBatch(database.db, { nodeId: "dp_test", events: [event(tenantC)] });
    expect(await verifyAuditChain(database.db, { chainKey: tenantC })).toMatchObject({ ok: true, lastSeq: 4 });
    const admin = await database.db.auditEvent.findMany({ where: { action: "audit.retention_applied" } });
    expect(admin).toHaveLength(1);
  });

  it("updates API keys' lastUsedAt from ingested events, shown by the keys API", async () => {
    const { db } = database;
    const used = await issueApiKey(db, { tenantId: tenantC, name: "used" }, actor);
    const refused = await issueApiKey(db, { tenantId: tenantC, name: "refused only" }, actor);
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const newest = at(10);
    await ingestAuditBatch(db, {
      nodeId: "dp_test",
      events: [
        event(tenantC, { keyId: used.id, time: at(30) }),
        // Authenticated, then denied by policy: still a use of the key.
        event(tenantC, { keyId: used.id, time: newest, kind: "authorization", decision: "deny", code: "FORBIDDEN" }),
        event(tenantC, { keyId: used.id, time: at(20) }),
        // A refused authentication (expired key, say) is not a use.
        event(tenantC, { keyId: refused.id, time: at(5), kind: "authentication", decision: "deny", code: "EXPIRED" }),
        event(tenantC, { keyId: "key_deleted_since", time: at(5) }),
      ],
    });
    const lastUsed = async () =>
      Object.fromEntries(
        (await listApiKeys(db, { tenantId: tenantC, limit: 50 })).items.map((key) => [key.id, key.lastUsedAt]),
      );
    const first = (await lastUsed())[used.id];
    expect(first?.toISOString()).toBe(newest);
    expect((await lastUsed())[refused.id]).toBeNull();
    // An older event arriving late does not move it backwards; a newer one moves it on.
    await ingestAuditBatch(db, { nodeId: "dp_test", events: [event(tenantC, { keyId: used.id, time: at(60) })] });
    expect((await lastUsed())[used.id]).toEqual(first);
    const newer = at(1);
    await ingestAuditBatch(db, { nodeId: "dp_test", events: [event(tenantC, { keyId: used.id, time: newer })] });
    expect((await lastUsed())[used.id]?.toISOString()).toBe(newer);
  });

  it("stores hostile strings unchanged through the array parameters, and the chain verifies", async () => {
    const { db } = database;
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
    const tenantD = (await createTenant(db, { slug: "td", name: "D" }, actor)).id;
    const events = hostile.map((text) => event(tenantD, { tool: text, clientAddress: text, method: text }));
    expect(await ingestAuditBatch(db, { nodeId: "dp_test", events })).toMatchObject({ accepted: hostile.length });
    const stored = await db.dataPlaneEvent.findMany({ where: { id: { in: events.map((e) => e.id) } } });
    const byId = new Map(stored.map((row) => [row.id, row]));
    expect(events.map((e) => [byId.get(e.id)?.tool, byId.get(e.id)?.clientAddress, byId.get(e.id)?.method])).toEqual(
      hostile.map((t) => [t, t, t]),
    );
    expect(await verifyAuditChain(db, { chainKey: tenantD })).toMatchObject({ ok: true, checked: hostile.length });
  });
});

import { randomUUID } from "node:crypto";
import type { AuditEventV1 } from "@only1mcp/data-plane";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestAuditBatch } from "../audit/ingest-audit-batch.ts";
import type { Actor } from "../audit/record-audit-event.ts";
import { verifyAuditChain } from "../audit/verify-audit-chain.ts";
import { InProcessJobQueue } from "../jobs/in-process-queue.ts";
import { createJobHandlers } from "../jobs/job-handlers.ts";
import { createTenant } from "../tenants/create-tenant.ts";
import { setAuditRetention } from "../tenants/set-audit-retention.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";

const actor: Actor = { kind: "system", name: "tenant-retention-test" };
const DAY = 24 * 3600 * 1000;

const event = (tenantId: string): AuditEventV1 => ({
  id: randomUUID(),
  time: new Date().toISOString(),
  nodeId: "dp_test",
  tenantId,
  keyId: "key_1",
  kind: "call",
  method: "tools/call",
  server: "files",
  tool: "files__read",
  originalTool: "read",
  decision: "allow",
  code: "VALID",
  latencyMs: 3,
  argsSha256: null,
  clientAddress: null,
});

describe("per-tenant audit retention, applied by the repeatable retention job", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const jobs = new InProcessJobQueue({ pollMs: 20 });
  let shortLived: string;
  let keptLong: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    shortLived = (await createTenant(db, { slug: "short", name: "Short" }, actor)).id;
    keptLong = (await createTenant(db, { slug: "long", name: "Long" }, actor)).id;
    jobs.startWorker(
      createJobHandlers({
        db,
        signingKey: () => {
          throw new Error("not used by retention");
        },
        reconcileNow: async () => {},
      }),
    );
    await ingestAuditBatch(db, { nodeId: "dp_test", events: [event(shortLived), event(shortLived), event(keptLong)] });
  });
  afterAll(async () => {
    await jobs.close();
    await database?.drop();
  });

  it("sets a tenant's retention days (365 by default), audited, refusing bad input without a change", async () => {
    const { db } = database;
    expect((await db.tenant.findUniqueOrThrow({ where: { id: shortLived } })).auditRetentionDays).toBe(365);
    expect(await setAuditRetention(db, { tenantId: shortLived, days: 30 }, actor)).toEqual({
      ok: true,
      value: { tenantId: shortLived, auditRetentionDays: 30 },
    });
    await expect(setAuditRetention(db, { tenantId: shortLived, days: 0 }, actor)).rejects.toThrow();
    await expect(setAuditRetention(db, { tenantId: shortLived, days: 1.5 }, actor)).rejects.toThrow();
    expect(await setAuditRetention(db, { tenantId: "ten_missing", days: 30 }, actor)).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect((await db.tenant.findUniqueOrThrow({ where: { id: shortLived } })).auditRetentionDays).toBe(30);
    const audit = await db.auditEvent.findMany({ where: { action: "tenant.retention_changed" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.detail).toMatchObject({ before: { auditRetentionDays: 365 }, after: { auditRetentionDays: 30 } });
  });

  it("the retention job removes only what is older than each tenant's own window", async () => {
    const { db } = database;
    const run = async (now: Date) => {
      const { id } = await jobs.enqueue("audit.retention", { now: now.toISOString() });
      const job = await jobs.waitUntilFinished(id);
      expect(job.state).toBe("completed");
      return job.result as { removed: number };
    };
    // 40 days on: past the 30-day tenant's window, inside the default one.
    expect((await run(new Date(Date.now() + 40 * DAY))).removed).toBe(2);
    expect(await db.dataPlaneEvent.count({ where: { tenantId: shortLived } })).toBe(0);
    expect(await db.dataPlaneEvent.count({ where: { tenantId: keptLong } })).toBe(1);
    const runs = await db.retentionRun.findMany({ where: { chainKey: shortLived } });
    expect(runs.map((r) => r.removedCount)).toEqual([2]);
    expect((await verifyAuditChain(db, { chainKey: shortLived })).ok).toBe(true);
    // Idempotent: the same clock removes nothing more.
    expect((await run(new Date(Date.now() + 40 * DAY))).removed).toBe(0);
  });
});

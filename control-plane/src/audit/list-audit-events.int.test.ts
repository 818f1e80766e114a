import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../testing/postgres-test-database.ts";
import { type AuditEventFilter, type AuditEventRow, listAuditEvents } from "./list-audit-events.ts";
import { type SeededLoad, SYNTHETIC_NODE_ID, seedSyntheticLoad } from "./synthetic-audit-load.ts";

const EVENTS = 6000;

describe("audit-log listing over a seeded history (filters, cursor pages)", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let load: SeededLoad;

  beforeAll(async () => {
    database = await createTestDatabase();
    // 3 tenants × 20 keys; events spread over 2 days, so many share no timestamp with another.
    load = await seedSyntheticLoad(database.db, { tag: "lst", tenants: 3, keysPerTenant: 20, events: EVENTS, days: 2 });
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function allPages(filter: AuditEventFilter, scope?: { tenantIds: readonly string[] | "all" }) {
    const rows: AuditEventRow[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await listAuditEvents(database.db, { ...filter, ...(cursor ? { cursor } : {}) }, scope);
      rows.push(...page.events);
      if (!page.nextCursor) return rows;
      cursor = page.nextCursor;
    }
    throw new Error("paging never ended");
  }

  function newestFirst(rows: AuditEventRow[]) {
    for (let i = 1; i < rows.length; i++) {
      const [before, after] = [rows[i - 1] as AuditEventRow, rows[i] as AuditEventRow];
      expect(before.time > after.time || (before.time === after.time && before.id > after.id)).toBe(true);
    }
  }

  it("pages through every event once, newest first, with the seeded values", async () => {
    const rows = await allPages({ limit: 500 });
    expect(rows).toHaveLength(EVENTS);
    expect(new Set(rows.map((row) => row.id)).size).toBe(EVENTS);
    newestFirst(rows);
    expect(rows.every((row) => row.nodeId === SYNTHETIC_NODE_ID && row.source === "data-plane")).toBe(true);
    // About 1 in 20 denied, spread over tenants, keys and tools.
    const denied = rows.filter((row) => row.decision === "deny");
    expect(denied.length).toBeGreaterThan(EVENTS * 0.03);
    expect(denied.length).toBeLessThan(EVENTS * 0.07);
    expect(new Set(denied.map((row) => row.tenantId)).size).toBe(3);
    expect(new Set(denied.map((row) => row.tool)).size).toBe(5);
  });

  it("filters by tenant, key, tool, decision and time range, and pages each filter without gaps", async () => {
    const tenant = load.tenantIds[1] as string;
    const byTenant = await allPages({ tenantId: tenant, limit: 333 });
    expect(byTenant).toHaveLength(EVENTS / 3);
    expect(byTenant.every((row) => row.tenantId === tenant)).toBe(true);
    newestFirst(byTenant);

    const key = load.keyId(2, 5);
    const byKey = await allPages({ keyId: key, limit: 7 });
    expect(byKey.length).toBeGreaterThan(0);
    expect(byKey.every((row) => row.keyId === key && row.tenantId === tenant)).toBe(true);
    expect(byKey).toHaveLength(byTenant.filter((row) => row.keyId === key).length);

    const tool = load.tools[3] as string;
    const denied = await allPages({ tenantId: tenant, tool, decision: "deny", limit: 50 });
    expect(denied).toEqual(byTenant.filter((row) => row.tool === tool && row.decision === "deny"));

    const middle = byTenant[Math.floor(byTenant.length / 2)] as AuditEventRow;
    const to = middle.time;
    const from = new Date(Date.parse(to) - 3_600_000).toISOString();
    const window = await allPages({ tenantId: tenant, from, to, limit: 25 });
    expect(window.length).toBeGreaterThan(0);
    expect(window).toEqual(byTenant.filter((row) => row.time >= from && row.time < to));
  });

  it("keeps an operator scoped to their tenants, whatever tenantId they ask for", async () => {
    const [first, second] = load.tenantIds as [string, string];
    const scoped = await allPages({ limit: 1000 }, { tenantIds: [first] });
    expect(scoped).toHaveLength(EVENTS / 3);
    expect(scoped.every((row) => row.tenantId === first)).toBe(true);
    expect((await listAuditEvents(database.db, { tenantId: second }, { tenantIds: [first] })).events).toEqual([]);
  });

  it("refuses a malformed filter and ignores a forged cursor", async () => {
    await expect(listAuditEvents(database.db, { limit: 0 })).rejects.toThrow();
    await expect(listAuditEvents(database.db, { from: "yesterday" })).rejects.toThrow();
    const page = await listAuditEvents(database.db, { cursor: "not-a-cursor", limit: 5 });
    expect(page.events).toHaveLength(5);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "../audit/list-audit-events.ts";
import { type SeededLoad, seedSyntheticLoad } from "../audit/synthetic-audit-load.ts";
import { createTestDatabase } from "../testing/postgres-test-database.ts";
import { summarizeTraffic } from "./traffic-summary.ts";

/** percentile_cont: linear interpolation between the closest ranks. */
function percentileCont(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (rank - low);
}

describe("overview traffic: per tenant, per server and per hour, with p50/p99", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let load: SeededLoad;

  beforeAll(async () => {
    database = await createTestDatabase();
    // 2000 events over 2 days: about half fall in the last 24 h.
    load = await seedSyntheticLoad(database.db, { tag: "trf", tenants: 2, keysPerTenant: 5, events: 2000, days: 2 });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("matches the events of the window, figure by figure", async () => {
    const since = new Date(Date.now() - 24 * 3600_000);
    const { events } = await listAuditEvents(database.db, { from: since.toISOString(), limit: 1000 });
    expect(events.length).toBeGreaterThan(900);
    expect(events.length).toBeLessThan(1000);
    const summary = await summarizeTraffic(database.db, { since, tenantIds: "all" });

    for (const tenantId of load.tenantIds) {
      const mine = events.filter((event) => event.tenantId === tenantId);
      const latencies = mine.flatMap((event) => (event.latencyMs === null ? [] : [event.latencyMs]));
      const row = summary.byTenant.find((candidate) => candidate.tenantId === tenantId);
      expect(row).toMatchObject({
        requests: mine.length,
        errors: mine.filter((event) => event.decision === "error").length,
        denied: mine.filter((event) => event.decision === "deny").length,
      });
      expect(row?.p50Ms).toBeCloseTo(percentileCont(latencies, 0.5) as number, 6);
      expect(row?.p99Ms).toBeCloseTo(percentileCont(latencies, 0.99) as number, 6);
      expect(row?.p99Ms).toBeGreaterThan(row?.p50Ms as number);
    }
    expect(summary.byServer).toHaveLength(load.tenantIds.length);
    for (const row of summary.byServer)
      expect(row).toMatchObject({
        server: "synthetic",
        requests: summary.byTenant.find((tenant) => tenant.tenantId === row.tenantId)?.requests,
      });
    expect(summary.hourly.reduce((sum, hour) => sum + hour.requests, 0)).toBe(events.length);
    expect(summary.hourly.length).toBeGreaterThanOrEqual(24);
    expect(summary.hourly.map((hour) => hour.hour)).toEqual([...summary.hourly.map((hour) => hour.hour)].sort());
  });

  it("keeps a scoped operator to their tenants", async () => {
    const since = new Date(Date.now() - 24 * 3600_000);
    const [first] = load.tenantIds as [string];
    const summary = await summarizeTraffic(database.db, { since, tenantIds: [first, "ten_nobody"] });
    expect(summary.byTenant.map((row) => row.tenantId)).toEqual([first]);
    expect(summary.byServer[0]?.requests).toBe(summary.byTenant[0]?.requests);
  });
});

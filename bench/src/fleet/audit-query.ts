import { type AuditEventPage, listAuditEvents, seedSyntheticLoad } from "@only1mcp/control-plane";
import { figure, percentile } from "../stats.ts";
import type { FleetScenario } from "./types.ts";

const EVENTS = 1_000_000;
const TENANTS = 10;
const KEYS_PER_TENANT = 1000;
const PAGE = 50;
/** Cursor pages followed after each first page of a tenant. */
const DEEP_PAGES = 3;

type Shape = { name: string; filter: (i: number) => Record<string, string | number> };

/**
 * Audit-log query p95 over one million stored data-plane events (what the audit viewer
 * lists), seeded by the control plane's `seedSyntheticLoad` (generate_series) into a
 * throwaway Postgres database, then queried through `listAuditEvents` (the function behind
 * `GET /api/v1/audit/events`) with the viewer's typical filters: none, tenant, key, tool,
 * decision, time range, an operator scoped to two tenants, and cursor pages. Every query
 * is timed alone; p95 and p50 are over all of them.
 */
export const auditQuery: FleetScenario = {
  id: "audit-query-1m",
  label: "audit-log query p95 over 1M events",
  async run(ctx) {
    const { db } = await ctx.database();
    ctx.log(`    seeding ${EVENTS} audit events (${TENANTS} tenants × ${KEYS_PER_TENANT} keys)`);
    const load = await seedSyntheticLoad(db, {
      tag: "bq",
      tenants: TENANTS,
      keysPerTenant: KEYS_PER_TENANT,
      events: EVENTS,
      days: 30,
    });
    const tenant = (i: number) => load.tenantIds[i % TENANTS] as string;
    const dayAgo = (i: number) => new Date(Date.now() - (1 + (i % 20)) * 86_400_000);
    const shapes: Shape[] = [
      { name: "newest", filter: () => ({}) },
      { name: "tenant", filter: (i) => ({ tenantId: tenant(i) }) },
      {
        name: "key",
        filter: (i) => ({
          tenantId: tenant(i),
          keyId: load.keyId((i % TENANTS) + 1, ((i * 37) % KEYS_PER_TENANT) + 1),
        }),
      },
      { name: "tool", filter: (i) => ({ tenantId: tenant(i), tool: load.tools[i % load.tools.length] as string }) },
      { name: "denied", filter: (i) => ({ tenantId: tenant(i), decision: "deny" }) },
      { name: "errors, any tenant", filter: () => ({ decision: "error" }) },
      {
        name: "tenant, one hour some days ago",
        filter: (i) => ({
          tenantId: tenant(i),
          from: new Date(dayAgo(i).getTime() - 3_600_000).toISOString(),
          to: dayAgo(i).toISOString(),
        }),
      },
    ];
    const rounds = ctx.options.quick ? 3 : 8;
    const p95s: number[] = [];
    const p50s: number[] = [];
    const byShape = new Map<string, number[]>();
    const timed = async (shape: string, run: () => Promise<AuditEventPage>) => {
      const t0 = performance.now();
      const page = await run();
      const ms = performance.now() - t0;
      byShape.set(shape, [...(byShape.get(shape) ?? []), ms]);
      return { page, ms };
    };
    for (let repeat = 0; repeat < ctx.options.repeats; repeat++) {
      const timings: number[] = [];
      for (let i = 0; i < rounds; i++) {
        for (const shape of shapes) {
          const first = await timed(shape.name, () => listAuditEvents(db, { ...shape.filter(i), limit: PAGE }));
          timings.push(first.ms);
          if (first.page.events.length === 0) throw new Error(`audit query "${shape.name}" found no events`);
        }
        // A scoped operator (two tenants) and the cursor pages after a tenant's first page.
        const scope = { tenantIds: [tenant(i), tenant(i + 1)] };
        const scoped = await timed("scoped to 2 tenants", () => listAuditEvents(db, { limit: PAGE }, scope));
        timings.push(scoped.ms);
        let page = scoped.page;
        for (let deep = 0; deep < DEEP_PAGES && page.nextCursor; deep++) {
          const cursor = page.nextCursor;
          const next = await timed("cursor page", () => listAuditEvents(db, { cursor, limit: PAGE }, scope));
          timings.push(next.ms);
          page = next.page;
        }
      }
      timings.sort((a, b) => a - b);
      p95s.push(percentile(timings, 0.95));
      p50s.push(percentile(timings, 0.5));
    }
    const perShape = [...byShape]
      .map(
        ([name, values]) =>
          `${name} ${percentile(
            [...values].sort((a, b) => a - b),
            0.95,
          ).toFixed(1)}`,
      )
      .join(", ");
    return {
      metrics: [
        { id: "p95Ms", label: "query p95", unit: "ms", value: figure(p95s) },
        { id: "p50Ms", label: "query p50", unit: "ms", value: figure(p50s) },
      ],
      note: `listAuditEvents(db, filter, scope), ${PAGE} per page, ${shapes.length} filters + scoped + ${DEEP_PAGES} cursor pages × ${rounds} rounds per run; p95 ms per filter: ${perShape}`,
    };
  },
};

import { figure, percentile } from "../stats.ts";
import { controlPlaneFunction } from "./control-plane-feature.ts";
import type { FleetScenario } from "./types.ts";

const EVENTS = 1_000_000;
const ACTOR = { kind: "system" as const, name: "bench" };

/**
 * Audit-log query p95 over one million stored events, seeded with
 * generate_series into the AuditEvent table of a throwaway database, queried
 * through the control plane's audit-log listing function (the API's backend):
 * the first page of a tenant's events, newest first.
 */
export const auditQuery: FleetScenario = {
  id: "audit-query-1m",
  label: "audit-log query p95 over 1M events",
  async run(ctx) {
    const list = controlPlaneFunction(
      /^(list|query|search|find)AuditEvents?$/i,
      "the control plane has no audit-log query function yet (a `listAuditEvents` export, issue 6)",
    );
    const { db } = await ctx.database();
    const tenants = 10;
    await db.$executeRawUnsafe(
      `INSERT INTO "Tenant" (id, slug, name, "updatedAt")
       SELECT 'ten_q' || g, 'bench-q-' || g, 'Bench query ' || g, now() FROM generate_series(1, ${tenants}) g
       ON CONFLICT DO NOTHING`,
    );
    ctx.log(`    seeding ${EVENTS} audit events`);
    await db.$executeRawUnsafe(
      `INSERT INTO "AuditEvent" (id, "tenantId", kind, actor, action, decision, detail, "createdAt")
       SELECT 'aud_' || g, 'ten_q' || (g % ${tenants} + 1), 'call', 'key_' || (g % 1000), 'tools/call',
              CASE WHEN g % 20 = 0 THEN 'deny' ELSE 'allow' END,
              jsonb_build_object('tool', 'echo__echo', 'code', 'VALID'),
              now() - (g || ' seconds')::interval
       FROM generate_series(1, ${EVENTS}) g`,
    );
    await db.$executeRawUnsafe(`ANALYZE "AuditEvent"`);
    const queries = ctx.options.quick ? 20 : 60;
    const p95s: number[] = [];
    const p50s: number[] = [];
    for (let run = 0; run < ctx.options.repeats; run++) {
      const timings: number[] = [];
      for (let i = 0; i < queries; i++) {
        const t0 = performance.now();
        await list.fn(db, { tenantId: `ten_q${(i % tenants) + 1}`, limit: 50 }, ACTOR);
        timings.push(performance.now() - t0);
      }
      timings.sort((a, b) => a - b);
      p95s.push(percentile(timings, 0.95));
      p50s.push(percentile(timings, 0.5));
    }
    return {
      metrics: [
        {
          id: "p95Ms",
          label: "query p95",
          unit: "ms",
          value: figure(p95s),
        },
        {
          id: "p50Ms",
          label: "query p50",
          unit: "ms",
          value: figure(p50s),
        },
      ],
      note: `${list.name}(db, { tenantId, limit: 50 }, actor), ${queries} queries per run`,
    };
  },
};

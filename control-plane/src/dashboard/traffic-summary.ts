import type { Db } from "../db/open-database.ts";

/** Requests, errors, denied calls and latency percentiles of one group of data-plane events. */
export type TrafficFigures = {
  requests: number;
  errors: number;
  denied: number;
  /** Median and 99th percentile of the events that carry a latency (calls); null when none do. */
  p50Ms: number | null;
  p99Ms: number | null;
};
/** tenantId null gathers events without a tenant (failed authentication). */
export type TenantTraffic = TrafficFigures & { tenantId: string | null };
/** An upstream server of a tenant; server null gathers the tenant's events that reached no upstream. */
export type ServerTraffic = TrafficFigures & { tenantId: string | null; server: string | null };
/** One hour of the window (start of the hour, ISO). */
export type HourlyTraffic = TrafficFigures & { hour: string };

export type TrafficSummary = { byTenant: TenantTraffic[]; byServer: ServerTraffic[]; hourly: HourlyTraffic[] };

type Row = {
  grouping: number;
  tenantId: string | null;
  server: string | null;
  hour: Date | null;
  requests: number;
  errors: number;
  denied: number;
  p50: number | null;
  p99: number | null;
};

/**
 * The overview's traffic since a moment (the last 24 h): per tenant, per tenant's upstream server and
 * per hour, in one scan of the occurredAt window (GROUPING SETS; indexed by [occurredAt, id]
 * and [tenantId, occurredAt, id]), so its cost follows the window's events, not the history.
 * Percentiles are computed by Postgres (percentile_cont) over the calls' latencies.
 */
export async function summarizeTraffic(
  db: Db,
  input: { since: Date; tenantIds: readonly string[] | "all" },
): Promise<TrafficSummary> {
  if (input.tenantIds !== "all" && input.tenantIds.length === 0) return { byTenant: [], byServer: [], hourly: [] };
  const scoped = input.tenantIds === "all" ? [] : [...input.tenantIds];
  const tenantClause =
    scoped.length > 0 ? `AND "tenantId" IN (${scoped.map((_, index) => `$${index + 2}`).join(", ")})` : "";
  const rows = await db.$queryRawUnsafe<Row[]>(
    `SELECT GROUPING("tenantId", server, date_trunc('hour', "occurredAt"))::int AS grouping,
            "tenantId", server, date_trunc('hour', "occurredAt") AS hour,
            count(*)::int AS requests,
            (count(*) FILTER (WHERE decision = 'error'))::int AS errors,
            (count(*) FILTER (WHERE decision = 'deny'))::int AS denied,
            (percentile_cont(0.5) WITHIN GROUP (ORDER BY "latencyMs"))::float8 AS p50,
            (percentile_cont(0.99) WITHIN GROUP (ORDER BY "latencyMs"))::float8 AS p99
     FROM "DataPlaneEvent"
     WHERE "occurredAt" >= $1::timestamp ${tenantClause}
     GROUP BY GROUPING SETS (("tenantId"), ("tenantId", server), (date_trunc('hour', "occurredAt")))`,
    input.since.toISOString().replace("Z", ""),
    ...scoped,
  );
  const figures = (row: Row): TrafficFigures => ({
    requests: Number(row.requests),
    errors: Number(row.errors),
    denied: Number(row.denied),
    p50Ms: row.p50 === null ? null : Number(row.p50),
    p99Ms: row.p99 === null ? null : Number(row.p99),
  });
  const busiestFirst = (a: TrafficFigures, b: TrafficFigures) => b.requests - a.requests;
  // GROUPING bits (tenantId, server, hour): 0b011 = by tenant, 0b001 = by tenant's server, 0b110 = by hour.
  return {
    byTenant: rows
      .filter((row) => Number(row.grouping) === 0b011)
      .map((row) => ({ tenantId: row.tenantId, ...figures(row) }))
      .sort(busiestFirst),
    byServer: rows
      .filter((row) => Number(row.grouping) === 0b001)
      .map((row) => ({ tenantId: row.tenantId, server: row.server, ...figures(row) }))
      .sort(busiestFirst),
    hourly: rows
      .filter((row) => Number(row.grouping) === 0b110 && row.hour !== null)
      .map((row) => ({ hour: new Date(row.hour as Date).toISOString(), ...figures(row) }))
      .sort((a, b) => a.hour.localeCompare(b.hour)),
  };
}

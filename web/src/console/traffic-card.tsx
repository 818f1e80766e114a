import type { TrafficSummary } from "@only1mcp/control-plane";
import { formatMs, HourlyChart, LatencyBars } from "./traffic-charts.tsx";
import { Badge, Card, cell, Empty, Mono, Table } from "./ui.tsx";

const NO_TENANT = "No tenant (failed authentication)";
const NO_SERVER = "No upstream (refused before routing)";

/** The overview's last 24 h from the data planes' audit events: calls per hour, latency per tenant and server. */
export function TrafficCard({
  traffic,
  tenantNames,
}: {
  traffic: TrafficSummary | null;
  tenantNames: ReadonlyMap<string, string>;
}) {
  const tenantName = (tenantId: string | null) =>
    tenantId === null ? NO_TENANT : (tenantNames.get(tenantId) ?? tenantId);
  return (
    <Card
      title="Traffic, last 24 hours"
      description="Requests, errors, denied calls and p50/p99 latency, as the data planes report them."
    >
      {traffic === null ? (
        <Empty>Traffic figures come from the audit log, which your role does not read.</Empty>
      ) : traffic.byTenant.length === 0 ? (
        <Empty>No MCP calls in the last 24 hours.</Empty>
      ) : (
        <>
          <div className="grid gap-6 border-b border-slate-200 px-5 py-5 lg:grid-cols-3 dark:border-slate-800">
            <section className="space-y-3 lg:col-span-1">
              <h3 className="text-sm font-semibold">Calls per hour</h3>
              <HourlyChart hours={traffic.hourly} />
            </section>
            <section className="space-y-3">
              <h3 className="text-sm font-semibold">Latency per tenant</h3>
              <LatencyBars
                label="Latency per tenant"
                rows={traffic.byTenant.map((row) => ({
                  ...row,
                  key: row.tenantId ?? "-",
                  name: tenantName(row.tenantId),
                }))}
              />
            </section>
            <section className="space-y-3">
              <h3 className="text-sm font-semibold">Latency per server</h3>
              <LatencyBars
                label="Latency per server"
                rows={traffic.byServer.map((row) => ({
                  ...row,
                  key: `${row.tenantId ?? "-"}/${row.server ?? "-"}`,
                  name: `${row.server ?? NO_SERVER} · ${tenantName(row.tenantId)}`,
                }))}
              />
            </section>
          </div>
          <Table label="Traffic" head={["Tenant", "Requests", "Errors", "Denied", "p50", "p99"]}>
            {traffic.byTenant.map((row) => (
              <tr key={row.tenantId ?? "-"}>
                <td className={`${cell} font-medium`}>
                  {row.tenantId === null ? (
                    <span className="text-slate-600 dark:text-slate-400">{NO_TENANT}</span>
                  ) : tenantNames.has(row.tenantId) ? (
                    tenantName(row.tenantId)
                  ) : (
                    <Mono>{row.tenantId}</Mono>
                  )}
                </td>
                <td className={`${cell} tabular-nums`}>{row.requests}</td>
                <td className={`${cell} tabular-nums`}>
                  {row.errors > 0 ? <Badge tone="red">{row.errors}</Badge> : 0}
                </td>
                <td className={`${cell} tabular-nums`}>
                  {row.denied > 0 ? <Badge tone="amber">{row.denied}</Badge> : 0}
                </td>
                <td className={`${cell} tabular-nums`}>{formatMs(row.p50Ms)}</td>
                <td className={`${cell} tabular-nums`}>{formatMs(row.p99Ms)}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
    </Card>
  );
}

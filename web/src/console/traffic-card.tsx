import type { TenantTraffic } from "@only1mcp/control-plane";
import { Badge, Card, cell, Empty, Mono, Table } from "./ui.tsx";

/** The overview's last 24 h per tenant, from the data planes' audit events. */
export function TrafficCard({
  traffic,
  tenantNames,
}: {
  traffic: TenantTraffic[] | null;
  tenantNames: ReadonlyMap<string, string>;
}) {
  return (
    <Card
      title="Traffic, last 24 hours"
      description="Requests, errors and denied calls per tenant, as the data planes report them."
    >
      {traffic === null ? (
        <Empty>Traffic figures come from the audit log, which your role does not read.</Empty>
      ) : traffic.length === 0 ? (
        <Empty>No MCP calls in the last 24 hours.</Empty>
      ) : (
        <Table label="Traffic" head={["Tenant", "Requests", "Errors", "Denied", "Avg latency"]}>
          {traffic.map((row) => (
            <tr key={row.tenantId ?? "-"}>
              <td className={`${cell} font-medium`}>
                {row.tenantId === null ? (
                  <span className="text-slate-600 dark:text-slate-400">No tenant (failed authentication)</span>
                ) : (
                  (tenantNames.get(row.tenantId) ?? <Mono>{row.tenantId}</Mono>)
                )}
              </td>
              <td className={`${cell} tabular-nums`}>{row.requests}</td>
              <td className={`${cell} tabular-nums`}>{row.errors > 0 ? <Badge tone="red">{row.errors}</Badge> : 0}</td>
              <td className={`${cell} tabular-nums`}>
                {row.denied > 0 ? <Badge tone="amber">{row.denied}</Badge> : 0}
              </td>
              <td className={`${cell} tabular-nums`}>
                {row.avgLatencyMs === null ? "—" : `${row.avgLatencyMs.toFixed(1)} ms`}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}

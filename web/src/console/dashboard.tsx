import type { ControlPlaneModule } from "../control-plane.ts";
import { displayKeyPrefix, formatDateTime, type KeyStatus, keyStatus, shortHash } from "./format.ts";
import { Badge, Card, cell, Empty, Mono, Table } from "./ui.tsx";

export type Dashboard = Awaited<ReturnType<ControlPlaneModule["getDashboard"]>>;
type Tenant = Dashboard["tenants"][number];
type DataPlane = Dashboard["dataPlanes"][number];

const STATUS_TONE: Record<KeyStatus, "green" | "amber" | "red"> = { active: "green", expired: "amber", revoked: "red" };

export function TenantCard({ tenant }: { tenant: Tenant }) {
  return (
    <Card
      title={tenant.name}
      description={`${tenant.slug} · ${tenant.id} · ${tenant._count.apiKeys} API key${tenant._count.apiKeys === 1 ? "" : "s"}${tenant._count.apiKeys > tenant.apiKeys.length ? ` (newest ${tenant.apiKeys.length} shown)` : ""}`}
      actions={
        <a
          className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          href={`/tenants/${tenant.id}/keys`}
        >
          Manage
        </a>
      }
    >
      {tenant.apiKeys.length === 0 ? (
        <Empty>No API keys.</Empty>
      ) : (
        <Table head={["API key", "Prefix", "Status", "Created", "Expires", "Last used"]}>
          {tenant.apiKeys.map((key) => {
            const status = keyStatus(key);
            return (
              <tr key={key.id}>
                <td className={`${cell} font-medium`}>{key.name}</td>
                <td className={cell}>
                  <Mono>{displayKeyPrefix(key.prefix)}</Mono>
                </td>
                <td className={cell}>
                  <Badge tone={STATUS_TONE[status]}>{status}</Badge>
                </td>
                <td className={cell}>{formatDateTime(key.createdAt)}</td>
                <td className={cell}>{key.expiresAt ? formatDateTime(key.expiresAt) : "Never"}</td>
                <td className={cell}>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : "Never"}</td>
              </tr>
            );
          })}
        </Table>
      )}
    </Card>
  );
}

export function DataPlanesCard({
  dataPlanes,
  currentVersion,
}: {
  dataPlanes: DataPlane[];
  currentVersion: number | null;
}) {
  return (
    <Card title="Data planes" description="Each node's applied snapshot, as it reports it.">
      {dataPlanes.length === 0 ? (
        <Empty>No data planes are registered.</Empty>
      ) : (
        <Table head={["Data plane", "Reachable", "Applied snapshot", "Hash", "Last seen"]}>
          {dataPlanes.map((node) => {
            const inSync = currentVersion !== null && node.appliedVersion === currentVersion;
            return (
              <tr key={node.id}>
                <td className={`${cell} max-w-72 truncate font-medium`} title={node.name}>
                  {node.name}
                  <div className="text-xs font-normal text-slate-600 dark:text-slate-400">
                    <Mono>{node.url}</Mono>
                  </div>
                </td>
                <td className={cell}>
                  {node.reachable ? <Badge tone="green">reachable</Badge> : <Badge tone="red">unreachable</Badge>}
                </td>
                <td className={cell}>
                  {node.appliedVersion === null ? (
                    <Badge tone="slate">none</Badge>
                  ) : (
                    <span className="inline-flex items-center gap-2">
                      <span className="font-medium">v{node.appliedVersion}</span>
                      {inSync ? <Badge tone="green">current</Badge> : <Badge tone="amber">behind</Badge>}
                    </span>
                  )}
                </td>
                <td className={cell}>
                  {node.appliedHash ? <Mono title={node.appliedHash}>{shortHash(node.appliedHash)}</Mono> : "—"}
                </td>
                <td className={cell}>{formatDateTime(node.lastSeenAt)}</td>
              </tr>
            );
          })}
        </Table>
      )}
    </Card>
  );
}

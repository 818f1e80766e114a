import type { ControlPlaneModule } from "../control-plane.ts";
import { formatDateTime, shortHash } from "./format.ts";
import { Badge, Card, cell, Empty, Mono, Table, type Tone } from "./ui.tsx";

export type FleetNode = Awaited<ReturnType<ControlPlaneModule["listFleet"]>>[number];

const HEALTH: Record<FleetNode["health"], { tone: Tone; label: string }> = {
  in_sync: { tone: "green", label: "in sync" },
  drift: { tone: "amber", label: "drift" },
  stale: { tone: "red", label: "stale" },
  offline: { tone: "red", label: "offline" },
  unknown: { tone: "slate", label: "never seen" },
};

/** The control plane's fleet view (GET /api/v1/nodes): what each data plane runs against its target. */
export function FleetCard({ nodes }: { nodes: FleetNode[] }) {
  return (
    <Card
      title="Fleet"
      description="From heartbeats and publishes: drift = not on its target snapshot, stale = its snapshot expired, offline = no heartbeat for a minute."
    >
      {nodes.length === 0 ? (
        <Empty>No data planes are registered.</Empty>
      ) : (
        <Table label="Data planes" head={["Data plane", "Health", "Version", "Applied / target snapshot", "Last seen"]}>
          {nodes.map((node) => (
            <tr key={node.id} data-testid={`node-${node.name}`}>
              <td className={`${cell} max-w-72 truncate font-medium`} title={node.name}>
                {node.name}
                <div className="text-xs font-normal text-slate-600 dark:text-slate-400">
                  <Mono>{node.url}</Mono>
                </div>
              </td>
              <td className={cell}>
                <span className="inline-flex items-center gap-2">
                  <Badge tone={HEALTH[node.health].tone}>{HEALTH[node.health].label}</Badge>
                  {node.inStagedRollout ? <Badge tone="indigo">staged rollout</Badge> : null}
                </span>
              </td>
              <td className={cell}>{node.version ?? "—"}</td>
              <td className={cell}>
                {node.appliedVersion === null ? "none" : `v${node.appliedVersion}`}
                {node.targetVersion === null ? "" : ` / v${node.targetVersion}`}
                <div className="text-xs text-slate-600 dark:text-slate-400">
                  {node.appliedHash ? <Mono title={node.appliedHash}>{shortHash(node.appliedHash)}</Mono> : null}
                </div>
              </td>
              <td className={cell}>
                {formatDateTime(node.lastSeenAt)}
                {node.lastPublishError ? (
                  <div
                    className="max-w-64 truncate text-xs text-red-700 dark:text-red-300"
                    title={node.lastPublishError}
                  >
                    Last publish: {node.lastPublishError}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}

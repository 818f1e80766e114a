import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentOperator } from "@/auth/session.ts";
import { type Dashboard, DataPlanesCard, TenantCard } from "@/console/dashboard.tsx";
import { formatDateTime, shortHash } from "@/console/format.ts";
import { Card, Empty, Mono, Stat } from "@/console/ui.tsx";
import { controlPlane } from "@/control-plane.ts";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

export default async function DashboardPage() {
  const operator = await currentOperator();
  if (!operator) redirect("/login");
  const { cp, context } = await controlPlane();
  const dashboard: Dashboard = await cp.getDashboard(context.db, operator.id);
  const snapshot = dashboard.currentSnapshot;
  const reachable = dashboard.dataPlanes.filter((node) => node.reachable).length;
  const inSync = dashboard.dataPlanes.filter((node) => snapshot && node.appliedVersion === snapshot.version).length;
  const keyCount = dashboard.tenants.reduce((sum, tenant) => sum + tenant._count.apiKeys, 0);

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Overview</h1>
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
          Tenants, their API keys and the data planes enforcing the current snapshot.
        </p>
      </div>

      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat
          label="Current snapshot"
          value={snapshot ? `v${snapshot.version}` : "None"}
          hint={
            snapshot ? <Mono title={snapshot.sha256}>{shortHash(snapshot.sha256, 16)}</Mono> : "Nothing published yet"
          }
        />
        <Stat
          label="Published"
          value={<span className="text-base">{snapshot ? formatDateTime(snapshot.createdAt) : "—"}</span>}
        />
        <Stat
          label="Data planes reachable"
          value={`${reachable}/${dashboard.dataPlanes.length}`}
          hint={`${inSync} on the current snapshot`}
        />
        <Stat
          label="Tenants"
          value={dashboard.tenants.length}
          hint={`${keyCount} API key${keyCount === 1 ? "" : "s"}`}
        />
      </dl>

      <Card title="Traffic" description="Requests, errors, p50/p99 latency and denied calls per tenant and server.">
        <Empty>
          No traffic figures yet: they come from the audit pipeline (GET /api/v1/audit-events), which this build does
          not include.
        </Empty>
      </Card>

      <DataPlanesCard dataPlanes={dashboard.dataPlanes} currentVersion={snapshot?.version ?? null} />

      <div className="space-y-6">
        <h2 className="text-lg font-semibold tracking-tight">Tenants</h2>
        {dashboard.tenants.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">You hold a role in no tenant.</p>
        ) : (
          dashboard.tenants.map((tenant) => <TenantCard key={tenant.id} tenant={tenant} />)
        )}
      </div>
    </div>
  );
}

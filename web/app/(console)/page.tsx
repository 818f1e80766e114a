import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { principalAuthz } from "@/api/route.ts";
import { sessionPrincipal } from "@/auth/session.ts";
import { type Dashboard, DataPlanesCard, TenantCard } from "@/console/dashboard.tsx";
import { formatDateTime, shortHash } from "@/console/format.ts";
import { TrafficCard } from "@/console/traffic-card.tsx";
import { Mono, Stat } from "@/console/ui.tsx";
import { controlPlane } from "@/control-plane.ts";

const DAY_MS = 24 * 3600_000;

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

export default async function DashboardPage() {
  const principal = await sessionPrincipal();
  if (!principal) redirect("/login");
  const { cp, context } = await controlPlane();
  // Traffic comes from the audit log: only roles that read it see the figures.
  const auditScope = principalAuthz(principal).tenantScope("audit:read");
  const [dashboard, traffic]: [Dashboard, Awaited<ReturnType<typeof cp.summarizeTraffic>> | null] = await Promise.all([
    cp.getDashboard(context.db, principal.operator.id),
    auditScope === "all" || auditScope.length > 0
      ? cp.summarizeTraffic(context.db, { since: new Date(Date.now() - DAY_MS), tenantIds: auditScope })
      : null,
  ]);
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

      <TrafficCard
        traffic={traffic}
        tenantNames={new Map(dashboard.tenants.map((tenant) => [tenant.id, tenant.name]))}
      />

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

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentOperator } from "@/auth/session.ts";
import { DataPlanesCard } from "@/console/dashboard.tsx";
import { PageHeader } from "@/console/ui.tsx";
import { controlPlane } from "@/control-plane.ts";

export const metadata: Metadata = { title: "Data planes" };
export const dynamic = "force-dynamic";

/** Each data plane's applied snapshot against the current one (drift = behind). */
export default async function DataPlanesPage() {
  const operator = await currentOperator();
  if (!operator) redirect("/login");
  const { cp, context } = await controlPlane();
  const dashboard = await cp.getDashboard(context.db, operator.id);
  return (
    <>
      <PageHeader
        title="Data planes"
        description="The proxies enforcing snapshots: the version each applied, and whether it is behind the current one."
      />
      <DataPlanesCard dataPlanes={dashboard.dataPlanes} currentVersion={dashboard.currentSnapshot?.version ?? null} />
    </>
  );
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentOperator } from "@/auth/session.ts";
import { FleetCard } from "@/console/fleet-card.tsx";
import { PageHeader } from "@/console/ui.tsx";
import { controlPlane } from "@/control-plane.ts";

export const metadata: Metadata = { title: "Data planes" };
export const dynamic = "force-dynamic";

/** The fleet as the control plane sees it (the same view as GET /api/v1/nodes). */
export default async function DataPlanesPage() {
  const operator = await currentOperator();
  if (!operator) redirect("/login");
  const { cp, context } = await controlPlane();
  const nodes = await cp.listFleet(context.db);
  return (
    <>
      <PageHeader
        title="Data planes"
        description="The proxies enforcing snapshots: their software version, the snapshot each applied against its target, and whether it drifted, went stale or offline."
      />
      <FleetCard nodes={nodes} />
    </>
  );
}

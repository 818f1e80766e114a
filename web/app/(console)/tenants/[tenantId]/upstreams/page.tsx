import type { Metadata } from "next";
import { UpstreamsScreen } from "@/console/screens/upstreams-screen.tsx";

export const metadata: Metadata = { title: "Upstream servers" };

export default async function Page({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return <UpstreamsScreen tenantId={tenantId} />;
}

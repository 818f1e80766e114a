import type { Metadata } from "next";
import { PoliciesScreen } from "@/console/screens/policies-screen.tsx";

export const metadata: Metadata = { title: "Policies" };

export default async function Page({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return <PoliciesScreen tenantId={tenantId} />;
}

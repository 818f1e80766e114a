import type { Metadata } from "next";
import { MembersScreen } from "@/console/screens/members-screen.tsx";

export const metadata: Metadata = { title: "Members" };

export default async function Page({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return <MembersScreen tenantId={tenantId} />;
}

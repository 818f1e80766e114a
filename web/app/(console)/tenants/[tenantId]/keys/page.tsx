import type { Metadata } from "next";
import { KeysScreen } from "@/console/screens/keys-screen.tsx";

export const metadata: Metadata = { title: "API keys" };

export default async function Page({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return <KeysScreen tenantId={tenantId} />;
}

import type { Metadata } from "next";
import { TenantsScreen } from "@/console/screens/tenants-screen.tsx";

export const metadata: Metadata = { title: "Tenants" };

export default function TenantsPage() {
  return <TenantsScreen />;
}

import type { Metadata } from "next";
import { AuditScreen } from "@/console/screens/audit-screen.tsx";

export const metadata: Metadata = { title: "Audit log" };

export default function Page() {
  return <AuditScreen />;
}

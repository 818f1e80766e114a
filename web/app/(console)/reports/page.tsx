import type { Metadata } from "next";
import { ReportsScreen } from "@/console/screens/reports-screen.tsx";

export const metadata: Metadata = { title: "Compliance reports" };

export default function Page() {
  return <ReportsScreen />;
}

import type { Metadata } from "next";
import { SecurityScreen } from "@/console/screens/security-screen.tsx";

export const metadata: Metadata = { title: "Security settings" };

export default function Page() {
  return <SecurityScreen />;
}

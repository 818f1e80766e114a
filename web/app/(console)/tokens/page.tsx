import type { Metadata } from "next";
import { TokensScreen } from "@/console/screens/tokens-screen.tsx";

export const metadata: Metadata = { title: "Operator tokens" };

export default function Page() {
  return <TokensScreen />;
}

import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { currentOperator } from "@/auth/session.ts";
import { Brand } from "@/console/brand.tsx";
import { SignOutButton } from "@/console/sign-out-button.tsx";

export const dynamic = "force-dynamic";

/** Every console page requires a signed-in operator; anyone else goes to /login. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const operator = await currentOperator();
  if (!operator) redirect("/login");
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-6 py-3">
          <Brand />
          <div className="flex items-center gap-4">
            <span className="hidden text-right text-sm leading-tight sm:block">
              <span className="block font-medium">{operator.name}</span>
              <span className="block text-slate-500 dark:text-slate-400">{operator.email}</span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}

import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { sessionPrincipal } from "@/auth/session.ts";
import { Brand } from "@/console/brand.tsx";
import { Nav } from "@/console/nav.tsx";
import { ConsoleProviders } from "@/console/providers.tsx";
import { PublishBar } from "@/console/publish-bar.tsx";
import { SignOutButton } from "@/console/sign-out-button.tsx";

export const dynamic = "force-dynamic";

/**
 * Every console page requires a signed-in operator (session within its timeouts and not
 * signed out everywhere); anyone else goes to /login.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const principal = await sessionPrincipal();
  if (!principal) redirect("/login");
  const { operator, roles } = principal;
  return (
    <ConsoleProviders operatorId={operator.id} grants={roles}>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-10 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-slate-900"
      >
        Skip to content
      </a>
      <div className="min-h-screen">
        <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-4 px-6 py-3">
            <Brand />
            <PublishBar />
            <div className="flex items-center gap-4">
              <span className="hidden text-right text-sm leading-tight sm:block">
                <span className="block font-medium">{operator.name}</span>
                <span className="block text-slate-600 dark:text-slate-400">
                  {operator.email} · {roles.map((r) => r.role).join(", ") || "no role"}
                </span>
              </span>
              <SignOutButton />
            </div>
          </div>
        </header>
        <div className="mx-auto grid max-w-7xl gap-8 px-6 py-8 md:grid-cols-[12rem_1fr]">
          <aside>
            <Nav />
          </aside>
          <main id="main" className="min-w-0 space-y-8">
            {children}
          </main>
        </div>
      </div>
    </ConsoleProviders>
  );
}

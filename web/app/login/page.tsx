import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentOperator } from "@/auth/session.ts";
import { Brand } from "@/console/brand.tsx";
import { LoginForm } from "@/console/login-form.tsx";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  if (await currentOperator()) redirect("/");
  const params = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Brand size="lg" />
          <p className="text-sm text-slate-500 dark:text-slate-400">Sign in to the operator console</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <LoginForm
            callbackUrl={first(params.callbackUrl)}
            initialError={first(params.error)}
            ssoName={process.env.OIDC_ISSUER ? process.env.OIDC_NAME?.trim() || "single sign-on" : undefined}
          />
        </div>
      </div>
    </main>
  );
}

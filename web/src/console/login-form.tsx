"use client";

import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "The email or password is incorrect.",
  AccessDenied: "This account may not sign in to the console.",
  SessionRequired: "Please sign in to continue.",
  RateLimited: "Too many sign-in attempts. Wait a few minutes and try again.",
  OAuthCallback: "Single sign-on failed. Please try again.",
};

export function loginErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  return MESSAGES[code] ?? "Sign-in failed. Please try again.";
}

/** Only same-site paths: never an absolute or protocol-relative URL (open redirect). */
function safeCallback(url: string | undefined): string {
  return url?.startsWith("/") && !url.startsWith("//") ? url : "/";
}

export function LoginForm({
  callbackUrl,
  initialError,
  ssoName,
}: {
  callbackUrl?: string;
  initialError?: string;
  /** Set when an OpenID Connect provider is configured: its button label. */
  ssoName?: string;
}) {
  const [error, setError] = useState<string | null>(loginErrorMessage(initialError));
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const target = safeCallback(callbackUrl);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
      callbackUrl: target,
    });
    if (!result || result.error || !result.ok) {
      setPending(false);
      setError(loginErrorMessage(result?.error ?? "Unknown"));
      return;
    }
    window.location.assign(target);
  }

  return (
    <div className="space-y-5">
      {ssoName ? (
        <>
          <button
            type="button"
            data-testid="sso-sign-in"
            onClick={() => signIn("oidc", { callbackUrl: safeCallback(callbackUrl) })}
            className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800"
          >
            Sign in with {ssoName}
          </button>
          <p className="text-center text-xs text-slate-600 dark:text-slate-400">or with the local operator account</p>
        </>
      ) : null}
      <form onSubmit={onSubmit} className="space-y-5" noValidate={false}>
        {error ? (
          <p
            role="alert"
            data-testid="login-error"
            className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
          >
            {error}
          </p>
        ) : null}
        <div className="space-y-1.5">
          <label htmlFor="email" className="block text-sm font-medium">
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900"
          />
        </div>
        <div className="space-y-1.5">
          <label htmlFor="password" className="block text-sm font-medium">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900"
          />
        </div>
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-wait disabled:opacity-70"
        >
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}

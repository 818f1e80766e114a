"use client";

import type { Permission } from "@only1mcp/control-plane/authz";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useCan } from "./providers.tsx";

const LINKS = [
  { href: "/", label: "Overview" },
  { href: "/tenants", label: "Tenants" },
  { href: "/data-planes", label: "Data planes" },
  { href: "/audit", label: "Audit log" },
  { href: "/reports", label: "Compliance reports" },
  // Global settings: shown to operators with a role on every tenant only.
  { href: "/security", label: "Security settings", permission: "security:read" },
  { href: "/tokens", label: "Operator tokens" },
] as const satisfies readonly { href: string; label: string; permission?: Permission }[];

/** The console's navigation: a list of links, the current one marked for screen readers too. */
export function Nav() {
  const pathname = usePathname();
  const canReadSecurity = useCan("security:read");
  const links = LINKS.filter((link) => !("permission" in link) || canReadSecurity);
  return (
    <nav aria-label="Console" className="flex flex-col gap-1">
      {links.map((link) => {
        const active = link.href === "/" ? pathname === "/" : pathname.startsWith(link.href);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${
              active
                ? "bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200"
                : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
            }`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}

const TENANT_TABS = [
  { path: "keys", label: "API keys" },
  { path: "policies", label: "Policies" },
  { path: "upstreams", label: "Upstream servers" },
  { path: "members", label: "Members & roles" },
] as const;

export function TenantTabs({ tenantId }: { tenantId: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Tenant" className="flex gap-1 border-b border-slate-200 dark:border-slate-800">
      {TENANT_TABS.map((tab) => {
        const href = `/tenants/${tenantId}/${tab.path}`;
        const active = pathname.startsWith(href);
        return (
          <Link
            key={tab.path}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${
              active
                ? "border-indigo-600 text-indigo-800 dark:border-indigo-400 dark:text-indigo-200"
                : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"
            }`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}

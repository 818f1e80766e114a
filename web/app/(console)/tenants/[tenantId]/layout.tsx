import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { authorize } from "@/api/permissions.ts";
import { sessionPrincipal } from "@/auth/session.ts";
import { TenantTabs } from "@/console/nav.tsx";
import { Mono, PageHeader } from "@/console/ui.tsx";
import { controlPlane } from "@/control-plane.ts";

/** A tenant's screens: the tenant must exist and the operator must hold a role in it. */
export default async function TenantLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenantId: string }>;
}) {
  const { tenantId } = await params;
  const principal = await sessionPrincipal();
  if (!principal) notFound();
  const authz = authorize({ operatorId: principal.operator.id, grants: principal.roles });
  if (!authz.can("tenant:read", { tenantId })) notFound();
  const { cp, context } = await controlPlane();
  const tenant = await cp.getTenant(context.db, tenantId);
  if (!tenant.ok) notFound();
  return (
    <>
      <div className="space-y-2">
        <Link href="/tenants" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← Tenants
        </Link>
        <PageHeader title={tenant.value.name} description={undefined} />
        <p className="text-sm text-slate-600 dark:text-slate-400">
          <Mono>{tenant.value.slug}</Mono> · <Mono>{tenant.value.id}</Mono>
        </p>
      </div>
      <TenantTabs tenantId={tenantId} />
      {children}
    </>
  );
}

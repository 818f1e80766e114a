"use client";

import { type Authz, authorize, type OperatorRoleGrant, type Permission } from "@only1mcp/control-plane/authz";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useMemo, useState } from "react";

const AuthzContext = createContext<Authz | null>(null);

/**
 * React Query for every screen, and the operator's abilities built by the same CASL
 * module the API uses: controls are hidden or disabled from it (the API still decides).
 */
export function ConsoleProviders({
  operatorId,
  grants,
  children,
}: {
  operatorId: string;
  grants: OperatorRoleGrant[];
  children: ReactNode;
}) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false } } }),
  );
  const authz = useMemo(() => authorize({ operatorId, grants }), [operatorId, grants]);
  return (
    <QueryClientProvider client={client}>
      <AuthzContext.Provider value={authz}>{children}</AuthzContext.Provider>
    </QueryClientProvider>
  );
}

/** Whether the signed-in operator may do `permission` (on the tenant). */
export function useCan(permission: Permission, tenantId?: string): boolean {
  const authz = useContext(AuthzContext);
  if (!authz) return false;
  return authz.can(permission, tenantId === undefined ? undefined : { tenantId, operatorId: authz.operatorId });
}

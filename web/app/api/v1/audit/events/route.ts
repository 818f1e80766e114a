import { apiRoute } from "@/api/api-route.ts";
import { auditQuery } from "@/audit/audit-query.ts";
import { controlPlane } from "@/control-plane.ts";
import { NO_STORE } from "@/fleet/no-store.ts";

export const dynamic = "force-dynamic";

/** Audit events (data-plane decisions or admin changes), filtered, newest first, cursor-paged. */
export const GET = apiRoute({
  permission: "audit:read",
  query: auditQuery,
  handler: async ({ authz, query }) => {
    const { cp, context } = await controlPlane();
    return Response.json(
      await cp.listAuditEvents(context.db, query, { tenantIds: authz.tenantScope("audit:read") }),
      NO_STORE,
    );
  },
});

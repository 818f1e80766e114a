import { apiRoute } from "@/api/api-route.ts";
import { auditQuery } from "@/audit/audit-query.ts";
import { controlPlane } from "@/control-plane.ts";

export const dynamic = "force-dynamic";

/** Every matching audit event as CSV (up to 100k rows; x-truncated says when more matched). */
export const GET = apiRoute({
  permission: "audit:export",
  query: auditQuery,
  handler: async ({ authz, query }) => {
    const { cp, context } = await controlPlane();
    const { cursor: _cursor, limit: _limit, ...filter } = query;
    const exported = await cp.exportAuditEventsCsv(context.db, filter, {
      tenantIds: authz.tenantScope("audit:export"),
    });
    return new Response(exported.csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="audit-events.csv"`,
        "cache-control": "no-store",
        "x-truncated": String(exported.truncated),
      },
    });
  },
});

import { apiRoute } from "@/api/api-route.ts";
import { ApiError } from "@/api/errors.ts";
import { controlPlane } from "@/control-plane.ts";
import { NO_STORE } from "@/fleet/no-store.ts";
import { tenantScope } from "@/fleet/operator-actor.ts";

export const dynamic = "force-dynamic";

/** A report's status, progress (0–100) and, once completed, the sha256 of each format. */
export const GET = apiRoute({
  permission: "report:read",
  handler: async ({ principal, params }) => {
    const { cp, context } = await controlPlane();
    const report = typeof params.id === "string" ? await cp.getReportStatus(context.db, params.id) : undefined;
    const scope = tenantScope(principal);
    if (!report || (scope.tenantIds !== "all" && !scope.tenantIds.includes(report.tenantId ?? "")))
      throw new ApiError("NOT_FOUND", "No such report.");
    return Response.json(report, NO_STORE);
  },
});

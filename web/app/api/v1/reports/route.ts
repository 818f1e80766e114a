import { z } from "zod";
import { apiRoute } from "@/api/api-route.ts";
import { ApiError } from "@/api/errors.ts";
import { controlPlane } from "@/control-plane.ts";
import { operatorActor, tenantScope } from "@/fleet/operator-actor.ts";
import { listReports } from "@/reports/report-operations.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listReports);

/** Generate a compliance report: answers 202 with the report id and its job id. */
export const POST = apiRoute({
  permission: "report:generate",
  body: z.object({
    framework: z.enum(["soc2", "iso27001", "hipaa", "gdpr"]),
    tenantId: z.string().min(1).nullable().default(null),
    periodDays: z.number().int().min(1).max(3650).default(90),
  }),
  handler: async ({ principal, body }) => {
    const scope = tenantScope(principal);
    if (scope.tenantIds !== "all" && (body.tenantId === null || !scope.tenantIds.includes(body.tenantId)))
      throw new ApiError("FORBIDDEN", "Forbidden: a report on this scope needs a role on it.");
    const { cp, context } = await controlPlane();
    const requested = await cp.requestReport(context.db, context.jobs, body, operatorActor(principal));
    return Response.json(requested, { status: 202, headers: { location: `/api/v1/reports/${requested.reportId}` } });
  },
});

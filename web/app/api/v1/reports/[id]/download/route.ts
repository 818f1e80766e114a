import { z } from "zod";
import { apiRoute } from "@/api/api-route.ts";
import { ApiError } from "@/api/errors.ts";
import { controlPlane } from "@/control-plane.ts";
import { tenantScope } from "@/fleet/operator-actor.ts";

export const dynamic = "force-dynamic";

/** The report as JSON, CSV or PDF (?format=), with its recorded sha256 in x-content-sha256. */
export const GET = apiRoute({
  permission: "report:read",
  query: z.object({ format: z.enum(["json", "csv", "pdf"]).default("json") }),
  handler: async ({ principal, params, query }) => {
    const { cp, context } = await controlPlane();
    const file =
      typeof params.id === "string" ? await cp.getReportFile(context.db, params.id, query.format) : undefined;
    const scope = tenantScope(principal);
    if (!file || (scope.tenantIds !== "all" && !scope.tenantIds.includes(file.tenantId ?? "")))
      throw new ApiError("NOT_FOUND", "No such completed report.");
    return new Response(new Uint8Array(file.bytes), {
      headers: {
        "content-type": file.contentType,
        "content-disposition": `attachment; filename="${file.filename}"`,
        "x-content-sha256": file.sha256,
        "cache-control": "no-store",
      },
    });
  },
});

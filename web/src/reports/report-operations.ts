import { reportRequestSchema } from "@only1mcp/control-plane/schemas";
import { z } from "zod";
import { operations } from "../api/domain-operation.ts";
import { ApiError } from "../api/errors.ts";
import type { Authz } from "../api/permissions.ts";
import { NO_STORE } from "../fleet/no-store.ts";

const operation = operations("Compliance reports");

/**
 * May the caller use a report of this scope with this permission? A tenant's report needs the
 * permission on that tenant; an all-tenant report (tenantId null) needs it on every tenant.
 */
function allowedOn(
  authz: Authz,
  permission: "report:read" | "report:export" | "report:generate",
  tenantId: string | null,
) {
  return tenantId === null ? authz.tenantScope(permission) === "all" : authz.decide(permission, { tenantId }).allowed;
}

export const listReports = operation({
  method: "GET",
  path: "/reports",
  summary: "Compliance reports, newest first: status, progress (0–100) and each format's sha256",
  permission: "report:read",
  run: async ({ cp, db, authz }) => ({
    items: await cp.listReports(db, { tenantIds: authz.tenantScope("report:read") }),
  }),
});

export const requestReport = operation({
  method: "POST",
  path: "/reports",
  summary: "Generate a compliance report (a job): answers 202 with the report id and its job id",
  status: 202,
  permission: "report:generate",
  // The body names the report's evidence scope (a tenant or all); the caller needs report:generate on it.
  body: reportRequestSchema,
  async run({ cp, context, actor, authz, body }) {
    if (!allowedOn(authz, "report:generate", body.tenantId))
      throw new ApiError("FORBIDDEN", "Forbidden: a report on this scope needs report:generate on it.");
    const requested = await cp.requestReport(context.db, context.jobs, body, actor);
    return Response.json(requested, { status: 202, headers: { location: `/api/v1/reports/${requested.reportId}` } });
  },
});

export const getReport = operation({
  method: "GET",
  path: "/reports/{id}",
  summary: "A report's status, progress (0–100) and, once completed, the sha256 of each format",
  permission: "report:read",
  async run({ cp, db, authz, param }) {
    const report = await cp.getReportStatus(db, param("id"));
    // Not found and not allowed look the same: a report's existence is not disclosed.
    if (!report || !allowedOn(authz, "report:read", report.tenantId))
      throw new ApiError("NOT_FOUND", "No such report.");
    return Response.json(report, NO_STORE);
  },
});

export const downloadReport = operation({
  method: "GET",
  path: "/reports/{id}/download",
  summary: "The report as JSON, CSV or PDF (?format=), with its recorded sha256 in x-content-sha256",
  permission: "report:export",
  query: z.object({ format: z.enum(["json", "csv", "pdf"]).default("json") }),
  async run({ cp, db, authz, param, query }) {
    const file = await cp.getReportFile(db, param("id"), query.format);
    if (!file || !allowedOn(authz, "report:export", file.tenantId))
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

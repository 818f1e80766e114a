import { type Actor, AdminAuditAction, recordAdminEvent } from "../audit/record-audit-event.ts";
import type { Database } from "../db/open-database.ts";
import { generateId } from "../ids/generate-id.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import { type ReportRequest, reportRequestSchema } from "./report-request-schema.ts";

export { type ReportRequest, reportRequestSchema };

/** Records the report and enqueues its generation; the job id is the report's. */
export async function requestReport(
  db: Database,
  jobs: JobQueue,
  input: ReportRequest,
  actor: Actor,
): Promise<{ reportId: string; jobId: string }> {
  const request = reportRequestSchema.parse(input);
  const reportId = generateId("rpt");
  await db.$transaction(async (tx) => {
    await tx.report.create({
      data: {
        id: reportId,
        framework: request.framework,
        tenantId: request.tenantId,
        periodDays: request.periodDays,
        status: "queued",
        createdById: actor.kind === "operator" ? actor.operatorId : null,
      },
    });
    await recordAdminEvent(tx, {
      actor,
      action: AdminAuditAction.reportRequested,
      tenantId: request.tenantId,
      detail: { reportId, framework: request.framework, periodDays: request.periodDays },
    });
  });
  // Same job id as the report: a retried request never generates twice.
  const { id: jobId } = await jobs.enqueue("report.generate", { reportId }, { jobId: `report-${reportId}` });
  await db.report.update({ where: { id: reportId }, data: { jobId } });
  return { reportId, jobId };
}

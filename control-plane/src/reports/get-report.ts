import type { Db } from "../db/open-database.ts";

export type ReportFormat = "json" | "csv" | "pdf";
const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: "application/json",
  csv: "text/csv; charset=utf-8",
  pdf: "application/pdf",
};

export async function getReportStatus(db: Db, reportId: string) {
  const report = await db.report.findUnique({
    where: { id: reportId },
    select: {
      id: true,
      framework: true,
      tenantId: true,
      periodDays: true,
      status: true,
      progress: true,
      jobId: true,
      error: true,
      sha256: true,
      createdAt: true,
      completedAt: true,
    },
  });
  if (!report) return undefined;
  return {
    ...report,
    createdAt: report.createdAt.toISOString(),
    completedAt: report.completedAt?.toISOString() ?? null,
    sha256: (report.sha256 as Record<ReportFormat, string> | null) ?? null,
  };
}

/** The file in one format, with its recorded sha256; undefined until the report is completed. */
export async function getReportFile(db: Db, reportId: string, format: ReportFormat) {
  const report = await db.report.findUnique({ where: { id: reportId } });
  if (!report) return undefined;
  const bytes = report[format];
  if (report.status !== "completed" || !bytes) return undefined;
  return {
    bytes: Buffer.from(bytes),
    contentType: CONTENT_TYPES[format],
    filename: `${report.framework}-report-${report.id}.${format}`,
    sha256: (report.sha256 as Record<ReportFormat, string>)[format],
    tenantId: report.tenantId,
  };
}

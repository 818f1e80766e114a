import type { Db } from "../db/open-database.ts";
import { REPORT_SUMMARY_SELECT, toReportSummary } from "./list-reports.ts";

export type ReportFormat = "json" | "csv" | "pdf";
const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: "application/json",
  csv: "text/csv; charset=utf-8",
  pdf: "application/pdf",
};

export async function getReportStatus(db: Db, reportId: string) {
  const report = await db.report.findUnique({ where: { id: reportId }, select: REPORT_SUMMARY_SELECT });
  return report ? toReportSummary(report) : undefined;
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

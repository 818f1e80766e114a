import type { Db } from "../db/open-database.ts";
import type { ReportFormat } from "./get-report.ts";

export type ReportSummary = {
  id: string;
  framework: string;
  tenantId: string | null;
  periodDays: number;
  status: string;
  progress: number;
  jobId: string | null;
  error: string | null;
  sha256: Record<ReportFormat, string> | null;
  createdAt: string;
  completedAt: string | null;
};

/**
 * The newest reports first, without their files. A tenant-scoped caller sees only
 * reports on its tenants (never the all-tenant ones, which need a global role).
 */
export async function listReports(
  db: Db,
  scope: { tenantIds: readonly string[] | "all" } = { tenantIds: "all" },
  limit = 100,
): Promise<ReportSummary[]> {
  const rows = await db.report.findMany({
    where: scope.tenantIds === "all" ? {} : { tenantId: { in: [...scope.tenantIds] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: REPORT_SUMMARY_SELECT,
  });
  return rows.map(toReportSummary);
}

/** The columns a report's status shows: everything but the files. */
export const REPORT_SUMMARY_SELECT = {
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
} as const;

type ReportSummaryRow = Omit<ReportSummary, "sha256" | "createdAt" | "completedAt"> & {
  sha256: unknown;
  createdAt: Date;
  completedAt: Date | null;
};

export function toReportSummary(row: ReportSummaryRow): ReportSummary {
  return {
    ...row,
    sha256: (row.sha256 as Record<ReportFormat, string> | null) ?? null,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

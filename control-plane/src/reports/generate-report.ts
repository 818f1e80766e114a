import type { Database } from "../db/open-database.ts";
import { collectors, type EvidenceRow } from "./collect-evidence.ts";
import { buildDocument, renderCsv, renderPdf, sha256 } from "./render-report.ts";
import { FRAMEWORKS, type Framework, REPORT_TEMPLATES } from "./report-templates.ts";

const DAY_MS = 24 * 3600 * 1000;

/**
 * The report.generate job: collects each evidence section the template needs
 * (reporting progress), renders JSON, CSV and PDF and stores them with their sha256.
 * Idempotent: a completed report is left as it is; a retried one is rebuilt whole.
 */
export async function generateReport(
  db: Database,
  reportId: string,
  reportProgress: (percent: number) => Promise<void> = async () => undefined,
): Promise<{ reportId: string; sha256: Record<string, string> }> {
  const report = await db.report.findUniqueOrThrow({ where: { id: reportId } });
  if (report.status === "completed" && report.sha256)
    return { reportId, sha256: report.sha256 as Record<string, string> };
  if (!FRAMEWORKS.includes(report.framework as Framework)) throw new Error(`unknown framework ${report.framework}`);
  const template = REPORT_TEMPLATES[report.framework as Framework];
  await db.report.update({ where: { id: reportId }, data: { status: "running", progress: 0, error: null } });
  try {
    const to = new Date();
    const from = new Date(to.getTime() - report.periodDays * DAY_MS);
    const scope = { tenantId: report.tenantId, from, to };
    const sections = [...new Set(template.controls.flatMap((control) => control.evidence))];
    const evidence: EvidenceRow[] = [];
    for (const [index, section] of sections.entries()) {
      evidence.push(...(await collectors[section](db, scope)));
      const progress = Math.round(((index + 1) / (sections.length + 1)) * 100);
      await db.report.update({ where: { id: reportId }, data: { progress } });
      await reportProgress(progress);
    }
    const document = buildDocument(template, evidence, { generatedAt: to, from, to, tenantId: report.tenantId });
    const json = Buffer.from(`${JSON.stringify(document, null, 2)}\n`);
    const csv = Buffer.from(renderCsv(template, document));
    const pdf = await renderPdf(document);
    const hashes = { json: sha256(json), csv: sha256(csv), pdf: sha256(pdf) };
    await db.report.update({
      where: { id: reportId },
      data: {
        status: "completed",
        progress: 100,
        json: asBytes(json),
        csv: asBytes(csv),
        pdf: asBytes(pdf),
        sha256: hashes,
        completedAt: new Date(),
      },
    });
    await reportProgress(100);
    return { reportId, sha256: hashes };
  } catch (error) {
    await db.report.update({ where: { id: reportId }, data: { status: "failed", error: (error as Error).message } });
    throw error;
  }
}

/** Prisma types Bytes as Uint8Array<ArrayBuffer>; a Buffer is one at run time (and PGlite needs a Buffer). */
function asBytes(buffer: Buffer): Uint8Array<ArrayBuffer> {
  return buffer as Uint8Array<ArrayBuffer>;
}

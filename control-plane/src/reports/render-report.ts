import { createHash } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import PDFDocument from "pdfkit";
import type { EvidenceRow } from "./collect-evidence.ts";
import type { ReportTemplate } from "./report-templates.ts";

export type ReportDocument = {
  schema: "only1mcp.report.v1";
  framework: string;
  title: string;
  generatedAt: string;
  period: { from: string; to: string };
  tenantId: string | null;
  controls: Array<{ id: string; title: string; evidence: string[]; status: "ok" | "attention"; rows: number }>;
  evidence: EvidenceRow[];
};

export function buildDocument(
  template: ReportTemplate,
  evidence: EvidenceRow[],
  meta: { generatedAt: Date; from: Date; to: Date; tenantId: string | null },
): ReportDocument {
  return {
    schema: "only1mcp.report.v1",
    framework: template.framework,
    title: template.title,
    generatedAt: meta.generatedAt.toISOString(),
    period: { from: meta.from.toISOString(), to: meta.to.toISOString() },
    tenantId: meta.tenantId,
    controls: template.controls.map((control) => {
      const rows = evidence.filter((row) => control.evidence.includes(row.section));
      return {
        id: control.id,
        title: control.title,
        evidence: control.evidence,
        status: rows.some((row) => row.status === "attention") ? "attention" : "ok",
        rows: rows.length,
      };
    }),
    evidence,
  };
}

/** One line per (control, evidence row): auditors filter by control in a spreadsheet. */
export function renderCsv(template: ReportTemplate, document: ReportDocument): string {
  const records: string[][] = [];
  for (const control of template.controls)
    for (const row of document.evidence.filter((r) => control.evidence.includes(r.section)))
      records.push([control.id, control.title, row.section, row.item, row.status, JSON.stringify(row.detail)]);
  return stringify(records, {
    header: true,
    columns: ["control", "control_title", "section", "item", "status", "detail"],
  });
}

export function renderPdf(document: ReportDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // A fixed CreationDate: the same document renders to the same bytes.
    const pdf = new PDFDocument({
      size: "A4",
      margin: 48,
      info: { Title: document.title, Author: "Only1MCP", CreationDate: new Date(document.generatedAt) },
    });
    const chunks: Buffer[] = [];
    pdf.on("data", (chunk: Buffer) => chunks.push(chunk));
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
    pdf.fontSize(16).text(document.title);
    pdf.moveDown(0.5).fontSize(9).fillColor("#555");
    pdf.text(`Generated ${document.generatedAt}. Evidence period ${document.period.from} to ${document.period.to}.`);
    pdf.text(document.tenantId ? `Tenant ${document.tenantId}.` : "All tenants.");
    pdf.fillColor("#000").moveDown();
    for (const control of document.controls) {
      pdf.fontSize(12).text(`${control.id}  ${control.title}`);
      pdf
        .fontSize(9)
        .text(`Status: ${control.status}. Evidence: ${control.evidence.join(", ")} (${control.rows} rows).`);
      pdf.moveDown(0.5);
    }
    pdf.addPage().fontSize(14).text("Evidence");
    let section = "";
    for (const row of document.evidence) {
      if (row.section !== section) {
        section = row.section;
        pdf.moveDown(0.5).fontSize(11).text(section.replaceAll("_", " "));
      }
      const detail = Object.entries(row.detail)
        .map(([key, value]) => `${key}=${value}`)
        .join("  ");
      pdf.fontSize(8).text(`[${row.status}] ${row.item}${detail ? ` | ${detail}` : ""}`);
    }
    pdf.end();
  });
}

export function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

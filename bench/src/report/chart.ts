// A small SVG chart: calls/s and gateway CPU µs per call at c=32 for every
// target that ran, with the min..max of the repeated runs as a whisker.
import type { Figure } from "../stats.ts";
import type { DerivedTargetResult } from "./derive.ts";
import { num } from "./table.ts";

const ROW = 22;
const LABEL = 270;
const BAR = 260;
const GAP = 60;

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function panel(title: string, x0: number, rows: { label: string; f: Figure }[], unit: string): string {
  const max = Math.max(...rows.map((r) => (Number.isFinite(r.f.max) ? r.f.max : 0)), 1);
  const scale = (v: number) => (v / max) * BAR;
  const parts = [`<text x="${x0}" y="16" font-weight="bold">${escapeXml(title)}</text>`];
  rows.forEach((r, i) => {
    const y = 28 + i * ROW;
    const w = Number.isFinite(r.f.median) ? scale(r.f.median) : 0;
    parts.push(
      `<rect x="${x0}" y="${y}" width="${w.toFixed(1)}" height="${ROW - 8}" fill="#4a7bd0"/>`,
      `<line x1="${(x0 + scale(r.f.min)).toFixed(1)}" x2="${(x0 + scale(r.f.max)).toFixed(1)}" y1="${y + (ROW - 8) / 2}" y2="${y + (ROW - 8) / 2}" stroke="#222"/>`,
      `<text x="${(x0 + Math.max(w, Number.isFinite(r.f.max) ? scale(r.f.max) : 0) + 4).toFixed(1)}" y="${y + ROW - 10}">${escapeXml(`${num(r.f.median)} ${unit}`)}</text>`,
    );
  });
  return parts.join("");
}

export function chartSvg(results: DerivedTargetResult[], title: string): string {
  const rows = results
    .filter((t) => t.status === "ok")
    .map((t) => ({ id: t.id, r: t.results.find((r) => r.concurrency === 32) }))
    .filter((x): x is { id: string; r: NonNullable<typeof x.r> } => x.r !== undefined);
  const height = 40 + rows.length * ROW + 24;
  const width = LABEL + 2 * (BAR + 80) + GAP;
  const labels = rows
    .map(
      (row, i) => `<text x="${LABEL - 8}" y="${28 + i * ROW + ROW - 10}" text-anchor="end">${escapeXml(row.id)}</text>`,
    )
    .join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    labels,
    panel(
      "calls/s at concurrency 32",
      LABEL,
      rows.map((row) => ({ label: row.id, f: row.r.throughput })),
      "/s",
    ),
    panel(
      "gateway CPU per call at concurrency 32",
      LABEL + BAR + 80 + GAP,
      rows.map((row) => ({ label: row.id, f: row.r.cpuUsPerCall })),
      "µs",
    ),
    `<text x="8" y="${height - 8}" fill="#555">${escapeXml(title)}</text>`,
    "</svg>",
  ].join("\n");
}

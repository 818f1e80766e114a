// Plain-text (Markdown) tables: readable in a terminal and pasteable in a README.
import type { FleetResult } from "../fleet/types.ts";
import { type Figure, spreadPercent } from "../stats.ts";
import type { DerivedTargetResult } from "./derive.ts";
import type { TargetCheck } from "./targets.ts";

export function num(v: number | undefined, digits = 0): string {
  if (v === undefined || !Number.isFinite(v)) return "–";
  return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function withSpread(f: Figure, digits: number): string {
  if (!Number.isFinite(f.median)) return "–";
  return `${num(f.median, digits)} ±${num(spreadPercent(f), 0)}%`;
}

function table(header: string[], rows: string[][]): string {
  // Laid out the way the repository's formatter (Biome) lays out Markdown tables.
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function overheadTable(results: DerivedTargetResult[]): string {
  const rows: string[][] = [];
  for (const t of results) {
    if (t.status !== "ok") continue;
    for (const r of t.results) {
      const d = t.derived[r.concurrency] ?? {};
      rows.push([
        t.id,
        String(r.concurrency),
        withSpread(r.throughput, 0),
        num(d.throughputVsBare, 2),
        num(r.p50Ms.median, 2),
        num(r.p99Ms.median, 2),
        withSpread(r.cpuUsPerCall, 0),
        num(d.cpuVsBare, 1),
        num(d.addedP50Ms, 2),
        num(d.addedP99Ms, 2),
        num(t.peakRssMb[Object.keys(t.peakRssMb)[0] ?? ""], 0),
      ]);
    }
  }
  return (
    table(
      [
        "scenario",
        "c",
        "calls/s",
        "×bare",
        "p50 ms",
        "p99 ms",
        "gateway CPU µs/call",
        "×bare CPU",
        "+p50 ms vs direct",
        "+p99 ms vs direct",
        "peak RSS MB",
      ],
      rows,
    ) + notes(results.map((t) => ({ name: t.id, status: t.status, reason: t.reason ?? t.detail })))
  );
}

/** Under a table, one line each: why a scenario did not run, or what exactly ran. */
function notes(items: { name: string; status: string; reason?: string | undefined }[]): string {
  const lines = items
    .filter((i) => i.status !== "ok" || i.reason)
    .map((i) => `- ${i.name}: ${i.status === "ok" ? "" : `${i.status}: `}${i.reason ?? ""}`);
  return lines.length === 0 ? "" : `\n\n${lines.join("\n")}`;
}

export function fleetTable(results: FleetResult[]): string {
  const rows: string[][] = [];
  for (const s of results) {
    if (s.status !== "ok") continue;
    for (const m of s.metrics) {
      const digits = m.value.median < 10 ? 2 : m.value.median < 100 ? 1 : 0;
      rows.push([s.label, m.label, `${withSpread(m.value, digits)} ${m.unit}`]);
    }
  }
  return (
    table(["scenario", "figure", "median ±spread"], rows) +
    notes(results.map((s) => ({ name: s.label, status: s.status, reason: s.reason ?? s.note })))
  );
}

export function targetsTable(checks: TargetCheck[]): string {
  return table(
    ["target", "measured", "goal", "verdict"],
    checks.map((c) => [
      c.target,
      c.measured === null ? "–" : `${num(c.measured, Math.abs(c.measured) < 10 ? 2 : 0)} ${c.unit}`,
      c.goal === "–" ? "–" : `${c.goal} ${c.unit}`,
      c.verdict === "pass" ? "PASS" : c.verdict === "miss" ? "MISS" : c.verdict === "info" ? "(reported)" : "n/a",
    ]),
  );
}

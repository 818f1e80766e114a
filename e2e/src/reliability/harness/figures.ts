// Each chaos case records the figures it measured; scripts/chaos-report.mjs joins
// them with vitest's pass/fail into reports/chaos-report.md.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { repoRoot } from "../../stack.ts";

export const reportsDir = path.join(repoRoot, "reports");
const figuresDir = process.env.CHAOS_FIGURES_DIR ?? path.join(reportsDir, "chaos-figures");

export function recordFigures(figures: Record<string, string | number | boolean>): void {
  const name = expect.getState().currentTestName ?? "unnamed";
  mkdirSync(figuresDir, { recursive: true });
  const file = path.join(figuresDir, `${name.replace(/[^A-Za-z0-9]+/g, "-").slice(0, 120)}.json`);
  writeFileSync(file, `${JSON.stringify({ name, figures, recordedAt: new Date().toISOString() }, null, 2)}\n`);
}

import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import type { FleetResult } from "../fleet/types.ts";
import type { BenchOptions } from "../options.ts";
import { DEFAULT_RESULTS_DIR } from "../options.ts";
import { REPO_ROOT } from "../paths.ts";
import type { TargetResult } from "../scenarios/overhead.ts";
import { chartSvg } from "./chart.ts";
import { derive } from "./derive.ts";
import { updateReadmeSection } from "./readme-section.ts";
import { fleetTable, overheadTable, targetsTable } from "./table.ts";
import { checkTargets } from "./targets.ts";

export type BenchRun = { startedAt: Date; options: BenchOptions; overhead: TargetResult[]; fleet: FleetResult[] };

/** Writes latest.json, latest.md and latest.svg (tmp + rename) and returns the printed table. */
export function writeResults(run: BenchRun): { table: string; jsonPath: string; svgPath: string } {
  const overhead = derive(run.overhead);
  const targets = checkTargets(run.overhead, run.fleet);
  const finishedAt = new Date();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    node: process.version,
    loadAverage1mAtEnd: loadavg()[0],
  };
  const mode = run.options.quick ? "quick" : "full";
  const heading = `Only1MCP bench, ${mode} run, ${finishedAt.toISOString()} — ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, load ${machine.loadAverage1mAtEnd?.toFixed(1)}; ${run.options.repeats} runs × ${run.options.durationMs} ms per figure (median ±half-range)`;
  const table = [
    heading,
    "",
    "tools/call on an echo tool (ratios: to the bare node:http answer at the same concurrency; +ms: over calling the HTTP upstream directly)",
    "",
    overheadTable(overhead),
    "",
    "Fleet and control plane",
    "",
    fleetTable(run.fleet),
    "",
    "Targets (issue 7)",
    "",
    targetsTable(targets),
  ].join("\n");
  const json = {
    schema: "only1mcp-bench.v1",
    mode,
    startedAt: run.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    machine,
    options: {
      repeats: run.options.repeats,
      durationMs: run.options.durationMs,
      warmupMs: run.options.warmupMs,
      concurrencies: run.options.concurrencies,
    },
    reference: "bare-node-http",
    overhead,
    fleet: run.fleet,
    targets,
  };
  mkdirSync(run.options.resultsDir, { recursive: true });
  const write = (name: string, content: string) => {
    const file = path.join(run.options.resultsDir, name);
    writeFileSync(`${file}.tmp`, content);
    renameSync(`${file}.tmp`, file);
    return file;
  };
  const jsonPath = write("latest.json", `${JSON.stringify(json, null, 2)}\n`);
  write("latest.md", `${table}\n`);
  const svgPath = write("latest.svg", chartSvg(overhead, heading));
  // Only a run into the committed results updates the README (not the smoke test's temp dir).
  if (run.options.resultsDir === DEFAULT_RESULTS_DIR) updateReadmeSection(path.join(REPO_ROOT, "README.md"), table);
  return { table, jsonPath, svgPath };
}

// `npm run chaos`: the reliability suite (vitest project "chaos": faults, hostile
// input, a short soak), then reports/chaos-report.md joining each case's pass/fail
// with the figures it measured. Exits with vitest's status.
//
// `npm run chaos:fast` (`--fast`, what .ci/run runs): every case that needs no
// `npm start` stack (standalone data planes, private Redis/Postgres, fuzzers, a 15 s
// soak) with fewer fuzz runs; writes reports/chaos-fast-report.md. The full suite
// adds the stack cases (control plane down, hostile console) and the 30 s soak.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reports = path.join(root, "reports");
const fast = process.argv.includes("--fast");
const passThrough = process.argv.slice(2).filter((arg) => arg !== "--fast");
/** Cases that start `npm start` stacks (console build, browser): full suite only. */
const STACK_CASES = ["control-plane-down", "console-hostile"];
const figuresDir = path.join(reports, fast ? "chaos-fast-figures" : "chaos-figures");
const resultsFile = path.join(reports, fast ? "chaos-fast-vitest.json" : "chaos-vitest.json");
const reportFile = fast ? "chaos-fast-report.md" : "chaos-report.md";
const fastEnv = fast
  ? {
      CHAOS_FUZZ_RUNS: process.env.CHAOS_FUZZ_RUNS ?? "300",
      CHAOS_SOAK_S: process.env.CHAOS_SOAK_S ?? "15",
      CHAOS_FIGURES_DIR: figuresDir,
    }
  : { CHAOS_FIGURES_DIR: figuresDir };
mkdirSync(reports, { recursive: true });
rmSync(figuresDir, { recursive: true, force: true });

const startedAt = Date.now();
const run = spawnSync(
  "npx",
  [
    "vitest",
    "run",
    "--project",
    "chaos",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${resultsFile}`,
    ...(fast ? STACK_CASES.map((name) => `--exclude=**/${name}.chaos.test.ts`) : []),
    ...passThrough,
  ],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...fastEnv, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" },
  },
);
const seconds = Math.round((Date.now() - startedAt) / 1000);

const figures = new Map();
if (existsSync(figuresDir)) {
  for (const file of readdirSync(figuresDir)) {
    const entry = JSON.parse(readFileSync(path.join(figuresDir, file), "utf8"));
    figures.set(entry.name, entry.figures);
  }
}
const rows = [];
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, "utf8"));
  for (const file of results.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      const name = [...(test.ancestorTitles ?? []), test.title].join(" > ");
      const status =
        { passed: "pass", failed: "FAIL", todo: "todo", pending: "todo", skipped: "skipped" }[test.status] ??
        test.status;
      const measured = figures.get(name);
      const detail = measured
        ? Object.entries(measured)
            .map(([key, value]) => `${key}: ${value}`)
            .join("; ")
        : "";
      rows.push(`| ${name.replaceAll("|", "\\|")} | ${status} | ${detail.replaceAll("|", "\\|")} |`);
    }
  }
}
const report = [
  "# Reliability suite results",
  "",
  `\`npm run ${fast ? "chaos:fast" : "chaos"}\` on ${new Date().toISOString()}, ${seconds} s, exit ${run.status}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ")} (1/5/15 min, ${cpus().length} cores).`,
  "",
  "| case | result | figures |",
  "| --- | --- | --- |",
  ...rows,
  "",
].join("\n");
writeFileSync(path.join(reports, reportFile), report);
process.stdout.write(`\nResults table: reports/${reportFile} (${rows.length} cases, ${seconds} s)\n`);
process.exitCode = run.status ?? 1;

// `npm run chaos`: the reliability suite (vitest project "chaos": faults, hostile
// input, a short soak), then reports/chaos-report.md joining each case's pass/fail
// with the figures it measured. Exits with vitest's status.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const reports = path.join(root, "reports");
const figuresDir = path.join(reports, "chaos-figures");
const resultsFile = path.join(reports, "chaos-vitest.json");
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
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" } },
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
  `\`npm run chaos\` on ${new Date().toISOString()}, ${seconds} s, exit ${run.status}.`,
  "",
  "| case | result | figures |",
  "| --- | --- | --- |",
  ...rows,
  "",
].join("\n");
writeFileSync(path.join(reports, "chaos-report.md"), report);
process.stdout.write(`\nResults table: reports/chaos-report.md (${rows.length} cases, ${seconds} s)\n`);
process.exitCode = run.status ?? 1;

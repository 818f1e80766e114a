// `npm run soak`: the release-check soak (not run in CI). SOAK_DURATION_S (default
// 600) and SOAK_RATE (req/s, default 50). Exits 1 when a bound is exceeded.
import path from "node:path";
import { repoRoot } from "../stack.ts";
import { runSoak, writeSoakReport } from "./harness/soak.ts";

const durationS = Number(process.env.SOAK_DURATION_S ?? 600);
const ratePerSecond = Number(process.env.SOAK_RATE ?? 50);
process.stdout.write(`soak: ${durationS} s at ${ratePerSecond} req/s...\n`);
const report = await runSoak({ durationMs: durationS * 1000, ratePerSecond, label: "release" });
const file = writeSoakReport(report);
process.stdout.write(
  [
    `sent ${report.sent}, ok ${report.ok}, failed ${report.failed}, p99 ${report.p99Ms} ms`,
    `RSS ${report.rssMiB.warm} -> ${report.rssMiB.end} MiB (growth ${report.rssMiB.growth}), fds ${report.fds.warm} -> ${report.fds.end}`,
    `heap after GC ${report.heapMiB.warm} -> ${report.heapMiB.end} MiB, handles ${report.handles.warm} -> ${report.handles.end}`,
    `audit recorded ${report.audit.recorded}, stored ${report.audit.stored}, chains ${report.audit.chainsOk ? "verify" : "BROKEN"}`,
    report.violations.length === 0 ? "PASS" : `FAIL: ${report.violations.join("; ")}`,
    `report: ${path.relative(repoRoot, file)}`,
    "",
  ].join("\n"),
);
process.exitCode = report.violations.length === 0 ? 0 : 1;

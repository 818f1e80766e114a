// `npm run bench`: builds the data plane, the control plane and the bench
// (turbo; cached when unchanged), then runs bench/dist/main.js, which prints the
// table and writes bench/results/latest.{json,md,svg}. BENCH_QUICK=1: a short run.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { root } from "./build-if-missing.mjs";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
const build = spawnSync(
  path.join(root, "node_modules", ".bin", "turbo"),
  ["run", "build", "--filter", "@only1mcp/bench", "--output-logs", "errors-only"],
  { cwd: root, stdio: "inherit", env },
);
if (build.status !== 0) {
  console.error("Build failed; see the output above.");
  process.exit(build.status ?? 1);
}
const child = spawn(process.execPath, [path.join(root, "bench/dist/main.js")], { cwd: root, stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// Builds the workspaces when their outputs are missing (first start on a fresh clone).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");

const outputs = {
  "@only1mcp/data-plane": "data-plane/dist/main.js",
  "@only1mcp/control-plane": "control-plane/dist/index.js",
  "@only1mcp/web": "web/.next/BUILD_ID",
};

export function buildIfMissing(packages = Object.keys(outputs)) {
  const missing = packages.filter((name) => !existsSync(path.join(root, outputs[name])));
  if (missing.length === 0) return;
  console.info(`Building ${missing.join(", ")} (first start only; a few minutes on 2 cores)…`);
  const filters = missing.flatMap((name) => ["--filter", name]);
  const result = spawnSync(path.join(root, "node_modules", ".bin", "turbo"), ["run", "build", ...filters], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" },
  });
  if (result.status !== 0) {
    console.error("Build failed; see the output above.");
    process.exit(result.status ?? 1);
  }
}

/** The Node/V8 flags every launcher of the data plane passes, from one file (data-plane/node-flags.json). */
export function dataPlaneNodeFlags() {
  return JSON.parse(readFileSync(path.join(root, "data-plane", "node-flags.json"), "utf8")).flags;
}

import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * CPU as a rate, never a lifetime budget: the process (and every child it forks)
 * joins its own cgroup with a CFS quota of `percent` of one CPU per period. cgroup v2
 * (`cpu.max`) where the cpu controller is delegated, else cgroup v1 (`cpu.cfs_quota_us`).
 * Best effort: where neither is writable (not root, no cgroupfs, macOS) it reports
 * that the limit does not hold, and the upstream still starts.
 */
export type CpuRateResult = { applied: true; group: string } | { applied: false; reason: string };

const V2_ROOT = "/sys/fs/cgroup";
const V1_CPU = "/sys/fs/cgroup/cpu";
const PERIOD_US = 100_000;

export function limitCpuRate(
  pid: number,
  percent: number,
  name: string,
  root = { v2: V2_ROOT, v1: V1_CPU },
): CpuRateResult {
  const quota = Math.max(1000, Math.round((PERIOD_US * percent) / 100));
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 100);
  try {
    if (existsSync(path.join(root.v2, "cgroup.controllers")) && v2HasCpu(root.v2)) {
      // Directly under the root: nesting would need the controller delegated at every level.
      const group = path.join(root.v2, `only1mcp-${safe}`);
      mkdirSync(group, { recursive: true });
      writeFileSync(path.join(group, "cpu.max"), `${quota} ${PERIOD_US}`);
      writeFileSync(path.join(group, "cgroup.procs"), String(pid));
      return { applied: true, group };
    }
    if (existsSync(path.join(root.v1, "cpu.cfs_quota_us"))) {
      const group = path.join(root.v1, "only1mcp", safe);
      mkdirSync(group, { recursive: true });
      writeFileSync(path.join(group, "cpu.cfs_period_us"), String(PERIOD_US));
      writeFileSync(path.join(group, "cpu.cfs_quota_us"), String(quota));
      writeFileSync(path.join(group, "cgroup.procs"), String(pid));
      return { applied: true, group };
    }
    return { applied: false, reason: "no writable cpu cgroup controller" };
  } catch (error) {
    return { applied: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Removes an emptied group (after the upstream exited); never throws. */
export function releaseCpuGroup(group: string): void {
  try {
    rmdirSync(group);
  } catch {
    // still busy or already gone
  }
}

function v2HasCpu(root: string): boolean {
  try {
    return readFileSync(path.join(root, "cgroup.subtree_control"), "utf8").split(/\s+/).includes("cpu");
  } catch {
    return false;
  }
}

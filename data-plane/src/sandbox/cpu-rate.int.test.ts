import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { limitCpuRate, releaseCpuGroup } from "./cpu-rate.ts";

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasCgroupCpu =
  existsSync("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") || existsSync("/sys/fs/cgroup/cgroup.controllers");

describe("CPU rate limit (cgroups)", () => {
  it.skipIf(!(process.platform === "linux" && isRoot && hasCgroupCpu))(
    "puts a long-running process into its own group with a CFS quota, not a lifetime budget",
    async () => {
      const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
      await new Promise((resolve) => child.once("spawn", resolve));
      const pid = child.pid as number;
      const result = limitCpuRate(pid, 25, `test-${pid}`);
      try {
        expect(result.applied).toBe(true);
        if (!result.applied) return;
        const procs = readFileSync(path.join(result.group, "cgroup.procs"), "utf8").split("\n");
        expect(procs).toContain(String(pid));
        const quota = existsSync(path.join(result.group, "cpu.max"))
          ? readFileSync(path.join(result.group, "cpu.max"), "utf8").trim()
          : readFileSync(path.join(result.group, "cpu.cfs_quota_us"), "utf8").trim();
        expect(quota.startsWith("25000")).toBe(true);
        expect(readFileSync(`/proc/${pid}/limits`, "utf8")).toMatch(/Max cpu time\s+unlimited/);
      } finally {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await exited;
        if (result.applied) {
          releaseCpuGroup(result.group);
          expect(existsSync(result.group)).toBe(false);
        }
      }
    },
  );

  it("reports when no controller is writable instead of failing the launch", () => {
    expect(limitCpuRate(process.pid, 10, "x", { v2: "/nonexistent", v1: "/nonexistent" })).toEqual({
      applied: false,
      reason: "no writable cpu cgroup controller",
    });
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { nodeFlags, sibling } from "./paths.ts";
import { portLine, startProcess } from "./processes.ts";
import type { Fixtures } from "./targets/types.ts";

/** Shared pieces, started on first use; dispose() removes the temporary directory. */
export function createFixtures(cpuProfDir?: string): Fixtures & { dispose(): void } {
  const tmpDir = mkdtempSync(path.join(tmpdir(), "only1mcp-bench-"));
  let echo: Promise<{ url: string; pid: number; alive(): boolean }> | undefined;
  return {
    tmpDir,
    // BENCH_DATA_PLANE_NODE_ARGS: extra Node/V8 flags for the data planes, to try one (e.g. a heap size) before shipping it.
    dataPlaneNodeArgs: [
      ...(cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", cpuProfDir] : []),
      ...(process.env.BENCH_DATA_PLANE_NODE_ARGS ?? "").split(" ").filter(Boolean),
    ],
    async echoHttp() {
      // Restarted when a phase's clean-up stopped it.
      if (echo && !(await echo.catch(() => undefined))?.alive()) echo = undefined;
      echo ??= startProcess({
        name: "echo upstream (http)",
        command: process.execPath,
        args: [...nodeFlags(), sibling("echo-upstream"), "http", "0"],
        readyLine: portLine,
      }).then(({ process: p, port }) => ({
        url: `http://127.0.0.1:${port}/mcp`,
        pid: p.pid,
        alive: () => p.proc.exitCode === null && p.proc.signalCode === null,
      }));
      const { url, pid } = await echo;
      return { url, pid };
    },
    dispose() {
      rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}

// Test-only: run the real data plane as a child process.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const MAIN = path.join(REPO_ROOT, "data-plane/src/main.ts");

export type RunningPlane = { proc: ChildProcess; url: string; logs: string[]; stop(): Promise<number | null> };

/** `wrapper`: a command that execs the data plane (e.g. `prlimit --fsize=N`), so the pid stays the plane's. */
export async function startPlane(
  env: Record<string, string>,
  args: string[] = [],
  wrapper: string[] = [],
): Promise<RunningPlane> {
  const command = [...wrapper, process.execPath, "--import", "tsx", MAIN, ...args];
  const proc = spawn(command[0] as string, command.slice(1), {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_PLANE_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`data plane did not start:\n${logs.join("\n")}`)), 30_000);
    let pending = "";
    const onData = (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      let nl = pending.indexOf("\n");
      while (nl !== -1) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        logs.push(line);
        try {
          const record = JSON.parse(line) as { msg?: string; port?: number };
          if (record.msg === "data plane listening" && record.port) {
            clearTimeout(timer);
            resolve(record.port);
          }
        } catch {
          // not a log line
        }
        nl = pending.indexOf("\n");
      }
    };
    proc.stderr?.on("data", onData);
    proc.stdout?.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`data plane exited with ${code}:\n${logs.join("\n")}`));
    });
  });
  return {
    proc,
    url: `http://127.0.0.1:${port}`,
    logs,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

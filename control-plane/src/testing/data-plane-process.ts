// Test-only: the real data plane as a child process (node --import tsx data-plane/src/main.ts).
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { repositoryRoot } from "../db/migrate.ts";

export type DataPlaneProcess = { proc: ChildProcess; url: string; port: number; logs: string[]; stop(): Promise<void> };

export async function startDataPlaneProcess(env: Record<string, string>): Promise<DataPlaneProcess> {
  const root = repositoryRoot();
  // Typed as a plain record: Next's ProcessEnv (web's tests import this file) requires NODE_ENV.
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATA_PLANE_PORT: "0",
    ...env,
    // Info level: the "listening" line carries the port.
    DATA_PLANE_LOG_LEVEL: "info",
  };
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(root, "data-plane/src/main.ts")], {
    cwd: root,
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`data plane did not start:\n${logs.join("\n")}`));
    }, 60_000);
    let pending = "";
    const onData = (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      for (let nl = pending.indexOf("\n"); nl !== -1; nl = pending.indexOf("\n")) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        logs.push(line);
        const listening = /"msg":"data plane listening".*"port":(\d+)/.exec(line);
        if (listening?.[1]) {
          clearTimeout(timer);
          resolve(Number(listening[1]));
        }
      }
    };
    proc.stderr?.on("data", onData);
    proc.stdout?.on("data", onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`data plane exited:\n${logs.join("\n")}`));
    });
  });
  return {
    proc,
    port,
    url: `http://127.0.0.1:${port}`,
    logs,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function waitUntil<T>(probe: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

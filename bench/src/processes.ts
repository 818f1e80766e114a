// Child processes of the bench: started on 127.0.0.1, tracked so that every one
// is stopped at the end (or on Ctrl-C), whatever happened in between.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export type Running = {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** Last lines of output, for error messages. */
  logs: string[];
  stop(): Promise<void>;
};

const running = new Set<Running>();

export type StartOptions = {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Resolves with a value once a line of output says the process is ready. */
  readyLine?: (line: string) => number | undefined;
  timeoutMs?: number;
};

/** Starts a process and waits for its ready line; returns the value the line gave (a port). */
export async function startProcess(options: StartOptions): Promise<{ process: Running; port: number | undefined }> {
  const proc = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const handle: Running = {
    name: options.name,
    proc,
    pid: proc.pid ?? -1,
    logs,
    async stop() {
      running.delete(handle);
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(handle);
  let resolveReady: (port: number) => void = () => {};
  const ready = new Promise<number>((resolve) => {
    resolveReady = resolve;
  });
  let pending = "";
  const onData = (chunk: Buffer) => {
    pending += chunk.toString("utf8");
    let nl = pending.indexOf("\n");
    while (nl !== -1) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      logs.push(line);
      if (logs.length > 50) logs.shift();
      const value = options.readyLine?.(line);
      if (value !== undefined) resolveReady(value);
      nl = pending.indexOf("\n");
    }
  };
  proc.stdout?.on("data", onData);
  proc.stderr?.on("data", onData);
  if (!options.readyLine) return { process: handle, port: undefined };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const outcome = await Promise.race([
    ready.then((port) => ({ port })),
    exited.then(() => ({ failed: `exited with ${proc.exitCode ?? proc.signalCode}` })),
    sleep(timeoutMs).then(() => ({ failed: `not ready within ${timeoutMs} ms` })),
  ]);
  if ("failed" in outcome) {
    await handle.stop();
    throw new Error(`${options.name} ${outcome.failed}: ${logs.slice(-5).join(" | ")}`);
  }
  return { process: handle, port: outcome.port };
}

/** Stops every process the bench started. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** A free TCP port on 127.0.0.1, for tools that need a port number up front. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls a URL until it answers with any HTTP status. */
export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** A JSON line on stdout with a `port` field (echo upstream, bare server). */
export function portLine(line: string): number | undefined {
  try {
    const record = JSON.parse(line) as { port?: unknown; msg?: unknown };
    if (typeof record.port === "number" && record.port > 0) return record.port;
  } catch {
    // not JSON
  }
  return undefined;
}

/** The data plane's "data plane listening" log line. */
export function dataPlaneListening(line: string): number | undefined {
  try {
    const record = JSON.parse(line) as { port?: unknown; msg?: unknown };
    if (record.msg === "data plane listening" && typeof record.port === "number") return record.port;
  } catch {
    // not JSON
  }
  return undefined;
}

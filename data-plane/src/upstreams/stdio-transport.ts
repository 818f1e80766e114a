import { type ChildProcess, spawn } from "node:child_process";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { afterSpawn } from "../sandbox/after-spawn.ts";
import { currentHost, sandboxSettings } from "../sandbox/host.ts";
import { planLaunch } from "../sandbox/sandbox-plan.ts";
import type { StdioUpstreamEntry } from "../snapshots/schema.ts";

const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * A stdio client transport for the SDK Client. Unlike the SDK's own, it gives the
 * child only the definition's env plus PATH and HOME, runs it in its own process
 * group, and kills that whole group on close (SIGTERM, then SIGKILL).
 */
export class IsolatedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private child: ChildProcess | undefined;
  private buffer: Buffer | undefined;
  private exited = false;

  constructor(
    private readonly def: StdioUpstreamEntry,
    private readonly onStderr: (line: string) => void = () => {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    // The sandbox (src/sandbox) decides the real argv and environment.
    const planned = planLaunch(this.def, sandboxSettings.get(), currentHost());
    if (!planned.ok) return Promise.reject(new Error(planned.reason));
    const { command, args, env } = planned.plan;
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        env,
        cwd: this.def.cwd,
        stdio: ["pipe", "pipe", "pipe"],
        detached: true,
        shell: false,
      });
      this.child = child;
      child.once("error", (error) => {
        // A process that never started (e.g. ENOENT) will not emit "exit".
        if (child.pid === undefined) this.exited = true;
        reject(error);
        this.onerror?.(error);
      });
      // The sandbox's CPU rate limit (cgroups) needs the pid; its cleanup runs on exit.
      let release = () => {};
      child.once("spawn", () => {
        release = afterSpawn(child.pid, this.def.name, sandboxSettings.get(), this.onStderr);
        resolve();
      });
      child.once("exit", () => {
        release();
        this.exited = true;
        this.onclose?.();
      });
      child.stdin?.on("error", (error) => this.onerror?.(error));
      child.stdout?.on("data", (chunk: Buffer) => this.onData(chunk));
      child.stdout?.on("error", (error) => this.onerror?.(error));
      child.stderr?.on("error", () => {});
      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (text: string) => {
        for (const line of text.split("\n")) if (line.trim()) this.onStderr(line.slice(0, 2000));
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.exited) return Promise.reject(new Error("upstream process is not running"));
    return new Promise((resolve) => {
      if (stdin.write(`${JSON.stringify(message)}\n`)) resolve();
      else stdin.once("drain", resolve);
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (!this.exited) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.stdin?.end();
      if (!(await within(exited, 500))) {
        killGroup(child, "SIGTERM");
        if (!(await within(exited, 2000))) {
          killGroup(child, "SIGKILL");
          await within(exited, 2000);
        }
      }
    }
    // Whatever the leader left behind in its process group goes too.
    killGroup(child, "SIGKILL");
  }

  /** Last resort on process exit: no waiting, kill the group outright. */
  killNow(): void {
    if (this.child) killGroup(this.child, "SIGKILL");
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
    if (this.buffer.length > MAX_LINE_BYTES) {
      this.buffer = undefined;
      this.onerror?.(new Error("upstream sent a message over 16 MiB"));
      void this.close();
      return;
    }
    let newline = this.buffer.indexOf(10);
    while (newline !== -1) {
      const line = this.buffer.toString("utf8", 0, newline).trim();
      this.buffer = this.buffer.subarray(newline + 1);
      if (line) this.deliver(line);
      newline = this.buffer.indexOf(10);
    }
    if (this.buffer.length === 0) this.buffer = undefined;
  }

  private deliver(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.onerror?.(new Error("upstream wrote a line that is not JSON"));
      return;
    }
    if (typeof message !== "object" || message === null || (message as { jsonrpc?: unknown }).jsonrpc !== "2.0") {
      this.onerror?.(new Error("upstream wrote a message that is not JSON-RPC 2.0"));
      return;
    }
    this.onmessage?.(message as JSONRPCMessage);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // group already gone
  }
  if (child.exitCode === null && child.signalCode === null) {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function within(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

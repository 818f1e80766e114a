import { type ChildProcess, spawn } from "node:child_process";
import { afterSpawn } from "../sandbox/after-spawn.ts";
import { currentHost, sandboxSettings } from "../sandbox/host.ts";
import { planLaunch } from "../sandbox/sandbox-plan.ts";
import type { StdioUpstreamEntry } from "../snapshots/schema.ts";
import type { MessageWire, RpcMessage } from "./rpc-peer.ts";

const MAX_LINE_BYTES = 16 * 1024 * 1024;

export type WireEvents = {
  /** `relatedId`: the request whose answer stream carried the message (HTTP), when known. */
  onMessage: (message: RpcMessage, relatedId?: number) => void;
  onClose: (reason: string) => void;
  onError?: (error: Error) => void;
};

/**
 * Newline-delimited JSON-RPC over a child's stdin/stdout. The sandbox plan (src/sandbox)
 * decides the real argv and the allow-listed environment; the child runs in its own process group, and the whole
 * group is killed on close (SIGTERM, then SIGKILL), so `npx`/`uvx` wrappers do not
 * leave their grandchildren behind. Messages sent in one event-loop turn go to the
 * pipe in one write (setImmediate): under load each write syscall, and the wake-up
 * of the child it causes, was the largest single CPU cost of a proxied call.
 */
export class StdioWire implements MessageWire {
  private child: ChildProcess | undefined;
  private buffer: Buffer | undefined;
  private exited = false;
  /** Messages waiting for this turn's write. */
  private queued: string[] | undefined;

  constructor(
    private readonly def: StdioUpstreamEntry,
    private readonly events: WireEvents,
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
        if (child.pid === undefined) {
          this.exited = true;
          reject(error);
        }
        this.events.onError?.(error);
      });
      // The sandbox's CPU rate limit (cgroups) needs the pid; its cleanup runs on exit.
      let release = () => {};
      child.once("spawn", () => {
        release = afterSpawn(child.pid, this.def.name, sandboxSettings.get(), this.onStderr);
        resolve();
      });
      child.once("exit", (code, signal) => {
        release();
        this.exited = true;
        // Whatever the leader left behind in its group goes too.
        killGroup(child, "SIGKILL");
        this.events.onClose(`process exited (${signal ?? code})`);
      });
      child.stdin?.on("error", (error) => this.events.onError?.(error));
      child.stdout?.on("data", (chunk: Buffer) => this.onData(chunk));
      child.stdout?.on("error", (error) => this.events.onError?.(error));
      child.stderr?.on("error", () => {});
      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (text: string) => {
        for (const line of text.split("\n")) if (line.trim()) this.onStderr(line.slice(0, 2000));
      });
    });
  }

  send(text: string): void {
    const stdin = this.child?.stdin;
    if (!stdin || this.exited || stdin.destroyed) return;
    if (this.queued) {
      this.queued.push(text);
      return;
    }
    this.queued = [text];
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    const queued = this.queued;
    this.queued = undefined;
    const stdin = this.child?.stdin;
    if (!queued || !stdin || this.exited || stdin.destroyed) return;
    stdin.write(queued.length === 1 ? `${queued[0]}\n` : `${queued.join("\n")}\n`);
  };

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
    killGroup(child, "SIGKILL");
  }

  /** Last resort on process exit: no waiting, kill the group outright. */
  killNow(): void {
    if (this.child) killGroup(this.child, "SIGKILL");
  }

  private onData(chunk: Buffer): void {
    let buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
    let start = 0;
    let newline = buffer.indexOf(10);
    while (newline !== -1) {
      if (newline > start) this.deliver(buffer.toString("utf8", start, newline));
      start = newline + 1;
      newline = buffer.indexOf(10, start);
    }
    buffer = start >= buffer.length ? Buffer.alloc(0) : buffer.subarray(start);
    if (buffer.length > MAX_LINE_BYTES) {
      this.buffer = undefined;
      this.events.onError?.(new Error("upstream sent a message over 16 MiB"));
      void this.close();
      return;
    }
    this.buffer = buffer.length === 0 ? undefined : buffer;
  }

  private deliver(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      // Servers that log to stdout: not JSON-RPC, ignore the line.
      if (line.trim()) this.onStderr(`(stdout) ${line.slice(0, 2000)}`);
      return;
    }
    if (typeof message !== "object" || message === null || Array.isArray(message)) return;
    if ((message as { jsonrpc?: unknown }).jsonrpc !== "2.0") return;
    this.events.onMessage(message as RpcMessage);
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

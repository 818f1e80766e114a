// A private redis-server for one test, on its own ephemeral port (never the shared
// 6379): stopping and restarting it disturbs no other test. With `appendonly`, data
// written before a stop is there again after the restart (as a real deployment keeps it).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./private-postgres.ts";

export type PrivateRedis = {
  url: string;
  port: number;
  start(): Promise<void>;
  /** SIGKILL: the nastiest way for Redis to go (no final save, connections cut). */
  kill(): Promise<void>;
  destroy(): Promise<void>;
};

function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.setTimeout(500);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function privateRedis(options: { persistent?: boolean } = {}): Promise<PrivateRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), "only1mcp-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
      args.push("--appendonly", options.persistent ? "yes" : "no", "--appendfsync", "always");
      child = spawn("redis-server", args, { stdio: "ignore" });
      for (let i = 0; i < 100; i++) {
        if (await pings(port)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`private redis-server on ${port} did not start`);
    },
    async kill() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGKILL");
      await exited;
    },
    async destroy() {
      await redis.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}

// A private PostgreSQL cluster for one test: its own data directory and port, run as
// the `postgres` user (Postgres refuses root). Restarting it disturbs nobody; the
// shared server on 5432 is never touched.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const BIN = path.join("/usr/lib/postgresql", readdirSync("/usr/lib/postgresql").sort().at(-1) ?? "", "bin");

function asPostgres(command: string, args: string[]): string[] {
  return ["-u", "postgres", "--", path.join(BIN, command), ...args];
}

export async function freePort(): Promise<number> {
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

export type PrivatePostgres = {
  url: string;
  port: number;
  start(): Promise<void>;
  /** Fast shutdown (SIGINT): open transactions are rolled back, clients disconnected. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
};

export async function privatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), "only1mcp-pg-"));
  chmodSync(dir, 0o777);
  const dataDir = path.join(dir, "data");
  execFileSync("chown", ["postgres:postgres", dir]);
  execFileSync("runuser", asPostgres("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync"]), {
    stdio: "ignore",
  });
  const port = await freePort();
  let child: ChildProcess | undefined;

  const ready = async () => {
    for (let i = 0; i < 150; i += 1) {
      try {
        execFileSync(path.join(BIN, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-q"]);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    throw new Error("private postgres did not start");
  };

  const instance: PrivatePostgres = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      child = spawn(
        "runuser",
        asPostgres("postgres", [
          "-D",
          dataDir,
          "-p",
          String(port),
          "-k",
          dir,
          "-c",
          "listen_addresses=127.0.0.1",
          "-c",
          "fsync=off",
        ]),
        { stdio: "ignore" },
      );
      await ready();
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      // runuser forwards the signal to postgres; pg_ctl is the fallback.
      execFileSync("runuser", asPostgres("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]), { stdio: "ignore" });
      await exited;
    },
    async destroy() {
      await instance.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await instance.start();
  return instance;
}

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");

export type Demo = {
  consoleUrl: string;
  mcpUrl: string;
  apiKey: string;
  adminEmail: string;
  adminPassword: string;
  adminToken: string;
};

export type RunningStack = {
  process: ChildProcess;
  dataDir: string;
  demo: Demo;
  output: () => string;
  dataPlaneUrl: string;
  /** Sends Ctrl-C (SIGINT) and waits for the launcher to exit. */
  stop(): Promise<number | null>;
};

/** Runs `npm start`'s launcher on free ports with a fresh data dir, like a new user. */
export async function startStack(options: {
  webPort: number;
  dataPlanePort: number;
  /** Extra environment for the launcher (e.g. DATABASE_URL, OIDC_ISSUER). */
  env?: Record<string, string>;
}): Promise<RunningStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "only1mcp-e2e-"));
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      WEB_PORT: String(options.webPort),
      DATA_PLANE_PORT: String(options.dataPlanePort),
      ONLY1MCP_DATA_DIR: dataDir,
      DATABASE_URL: "",
      REDIS_URL: "",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes("Only1MCP is running")) {
        clearInterval(timer);
        resolve();
      }
    }, 200);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`launcher exited early (${code}):\n${output.slice(-4000)}`));
    });
  });
  const demo = JSON.parse(readFileSync(path.join(dataDir, "demo.json"), "utf8")) as Demo;
  return {
    process: child,
    dataDir,
    demo,
    output: () => output,
    dataPlaneUrl: `http://127.0.0.1:${options.dataPlanePort}`,
    async stop() {
      if (child.exitCode === null) child.kill("SIGINT");
      return exited;
    },
  };
}

/** Every process below pid, read from /proc (Linux). */
export function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    for (const child of parents.get(next) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the launcher's child whose command line contains `marker` (e.g. "web/server.mjs"). */
export function childProcessMatching(launcherPid: number, marker: string): number | undefined {
  return descendantsOf(launcherPid).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
    } catch {
      return false;
    }
  });
}

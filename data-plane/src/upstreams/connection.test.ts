import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../log/logger.ts";
import type { StdioUpstreamEntry } from "../snapshots/schema.ts";
import { isAlive } from "../testing/process.ts";
import type { CircuitBreakerOptions } from "./circuit-breaker.ts";
import { UpstreamConnection } from "./connection.ts";

// A minimal stdio MCP server whose only tool describes the environment it was given.
const ENV_SERVER = `
const rl = require("node:readline").createInterface({ input: process.stdin });
const send = (m) => process.stdout.write(JSON.stringify(m) + "\\n");
rl.on("line", (line) => {
  const msg = JSON.parse(line);
  if (msg.method === "initialize") send({ jsonrpc: "2.0", id: msg.id, result: { protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: "env", version: "1" } } });
  else if (msg.method === "tools/list") send({ jsonrpc: "2.0", id: msg.id, result: { tools: [{ name: "env", description: JSON.stringify(Object.keys(process.env).sort()), inputSchema: { type: "object" }, annotations: { readOnlyHint: true } }] } });
  else if (msg.method === "tools/call") send({ jsonrpc: "2.0", id: msg.id, result: { content: [{ type: "text", text: process.env.GREETING + ":" + msg.params.name }] } });
});
`;

const open: UpstreamConnection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

function connect(def: Partial<StdioUpstreamEntry>, breaker?: CircuitBreakerOptions): UpstreamConnection {
  const full: StdioUpstreamEntry = {
    id: "u",
    name: "u",
    transport: "stdio",
    command: process.execPath,
    args: [],
    env: {},
    ...def,
  };
  const connection = new UpstreamConnection("t", full, "hash", silentLogger, () => {});
  if (breaker) connection.breaker = breaker;
  open.push(connection);
  connection.start();
  return connection;
}

async function settled(c: UpstreamConnection): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (c.state === "starting" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe("UpstreamConnection (stdio)", () => {
  it("gives the process only its own env plus PATH and HOME, keeps tool definitions, and calls tools", async () => {
    process.env.ONLY1MCP_SECRET_SHOULD_NOT_LEAK = "x";
    const c = connect({ args: ["-e", ENV_SERVER], env: { GREETING: "hi" } });
    await settled(c);
    expect(c.state).toBe("ready");
    const tool = c.tools[0];
    expect(tool).toMatchObject({ name: "env", annotations: { readOnlyHint: true } });
    const keys = JSON.parse(String(tool?.description)) as string[];
    expect(keys.filter((k) => !["PATH", "HOME", "GREETING"].includes(k))).toEqual([]);
    expect(keys).toContain("GREETING");
    expect(await c.callTool("env", {})).toEqual({ result: { content: [{ type: "text", text: "hi:env" }] } });
    expect(c.pid).toBeGreaterThan(0);
  });

  it("reports a command that cannot start as down, with the reason", async () => {
    const c = connect({ command: "/nonexistent/upstream" });
    await settled(c);
    expect(c.state).toBe("down");
    expect(c.error).toContain("ENOENT");
    await expect(c.callTool("x", {})).rejects.toThrow(/unavailable/);
  });

  it("reports a process that exits before initializing as down", async () => {
    const c = connect({ args: ["-e", "process.exit(3)"] });
    await settled(c);
    expect(c.state).toBe("down");
  });

  it("kills the process on close", async () => {
    const c = connect({
      args: ["-e", `${ENV_SERVER}; process.stdin.on("end", () => {}); setInterval(() => {}, 1000);`],
    });
    await settled(c);
    const pid = c.pid as number;
    await c.close();
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it("stops an idle process after its idle timeout, keeps its tools, and restarts it on the next call", async () => {
    const c = connect({ args: ["-e", ENV_SERVER], env: { GREETING: "again" }, idleTimeoutMs: 1000 });
    await settled(c);
    const firstPid = c.pid as number;
    const deadline = Date.now() + 15_000;
    while (c.state !== "idle" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(c.state).toBe("idle");
    expect(c.tools.map((t) => t.name)).toEqual(["env"]);
    const gone = Date.now() + 10_000;
    while (isAlive(firstPid) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(firstPid)).toBe(false);
    expect(await c.callTool("env", {})).toEqual({ result: { content: [{ type: "text", text: "again:env" }] } });
    expect(c.state).toBe("ready");
    expect(c.pid).not.toBe(firstPid);
  });

  it("opens its circuit after consecutive failures: fast refusals, no restarts until the probe, closes when it recovers", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "only1mcp-circuit-"));
    const starts = path.join(dir, "starts");
    const healthy = path.join(dir, "healthy");
    writeFileSync(starts, "");
    // Crashes at once on every start until the `healthy` file exists, then serves.
    const script = `require("node:fs").appendFileSync(${JSON.stringify(starts)}, "x");
      if (!require("node:fs").existsSync(${JSON.stringify(healthy)})) process.exit(3);
      ${ENV_SERVER}`;
    const startCount = () => readFileSync(starts, "utf8").length;
    try {
      const c = connect(
        { args: ["-e", script], env: { GREETING: "back" } },
        { threshold: 3, baseBackoffMs: 20, openMs: 3000 },
      );
      const deadline = Date.now() + 10_000;
      while (c.circuit !== "open" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(c.circuit).toBe("open");
      expect(c.state).toBe("down");
      expect(c.consecutiveFailures).toBe(3);
      expect(c.error).toMatch(/circuit open after 3 consecutive failures/);
      const opened = startCount();
      expect(opened).toBe(3);
      await expect(c.callTool("env", {})).rejects.toThrow(/circuit open/);
      // While open: no restart at all (the backoff alone would have retried by now).
      await new Promise((r) => setTimeout(r, 600));
      expect(startCount()).toBe(opened);
      // The upstream recovers: the half-open probe connects and closes the circuit.
      appendFileSync(healthy, "ok");
      const recovered = Date.now() + 10_000;
      while (c.state !== "ready" && Date.now() < recovered) await new Promise((r) => setTimeout(r, 20));
      expect(c.state).toBe("ready");
      expect(c.circuit).toBe("closed");
      expect(c.consecutiveFailures).toBe(0);
      expect(startCount()).toBe(opened + 1);
      expect(await c.callTool("env", {})).toEqual({ result: { content: [{ type: "text", text: "back:env" }] } });
      expect(existsSync(healthy)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

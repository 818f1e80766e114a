import { spawnSync } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxSettingsSchema } from "../security/security-schema.ts";
import { currentHost } from "./host.ts";
import { planLaunch } from "./sandbox-plan.ts";

/**
 * The sandbox on this machine (Linux): a real process started with the planned
 * argv reports what it got. Skipped where the measures cannot hold (not Linux,
 * not root, or no network namespaces).
 */

const host = currentHost();
const linuxRoot = host.platform === "linux" && host.isRoot && spawnSync("unshare", ["--net", "true"]).status === 0;

let dir: string;
let probe: string;

const PROBE = `
const fs = require("node:fs");
const os = require("node:os");
const status = fs.readFileSync("/proc/self/status", "utf8");
const limits = fs.readFileSync("/proc/self/limits", "utf8");
const line = (name) => (limits.split("\\n").find((l) => l.startsWith(name)) || "").replace(/\\s+/g, " ");
process.stdout.write(JSON.stringify({
  uid: process.getuid(),
  noNewPrivs: /NoNewPrivs:\\s+1/.test(status),
  env: process.env,
  interfaces: Object.keys(os.networkInterfaces()),
  nofile: line("Max open files"),
  nproc: line("Max processes"),
  cpu: line("Max cpu time"),
}));
`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "dp-sandbox-"));
  await chmod(dir, 0o755);
  probe = path.join(dir, "probe.cjs");
  await writeFile(probe, PROBE, { mode: 0o644 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(plan: { command: string; args: string[]; env: Record<string, string> }) {
  const out = spawnSync(plan.command, plan.args, { env: plan.env, encoding: "utf8" });
  if (out.status !== 0) throw new Error(`probe failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as {
    uid: number;
    noNewPrivs: boolean;
    env: Record<string, string>;
    interfaces: string[];
    nofile: string;
    nproc: string;
    cpu: string;
  };
}

const settings = sandboxSettingsSchema.parse({
  enabled: true,
  max_open_files: 64,
  max_processes: 256,
  max_cpu_percent: 50,
  env_allow: ["PATH"],
});

describe("stdio sandbox plan", () => {
  it("refuses a relative command, a missing one, and NUL bytes in arguments", () => {
    expect(planLaunch({ command: "node", args: [], env: {} }, settings, host)).toMatchObject({ ok: false });
    expect(planLaunch({ command: "/nonexistent/bin", args: [], env: {} }, settings, host)).toMatchObject({ ok: false });
    expect(planLaunch({ command: process.execPath, args: ["a\u0000b"], env: {} }, settings, host)).toMatchObject({
      ok: false,
    });
  });

  it.skipIf(!linuxRoot)(
    "drops root, sets no-new-privs and rlimits, passes only allowed env, no CPU lifetime budget",
    () => {
      process.env.ONLY1MCP_SECRET_SHOULD_NOT_LEAK = "leak";
      const planned = planLaunch({ command: process.execPath, args: [probe], env: { GIVEN: "yes" } }, settings, host);
      if (!planned.ok) throw new Error(planned.reason);
      const seen = run(planned.plan);
      expect(seen.uid).toBe(65534);
      expect(seen.noNewPrivs).toBe(true);
      expect(seen.env.GIVEN).toBe("yes");
      expect(seen.env.ONLY1MCP_SECRET_SHOULD_NOT_LEAK).toBeUndefined();
      expect(seen.env.HOME).toBeUndefined();
      expect(seen.nofile).toContain(" 64 64 ");
      expect(seen.nproc).toContain(" 256 256 ");
      expect(seen.cpu).toContain("unlimited");
      expect(planned.plan.measures).toContain("no new privileges");
      delete process.env.ONLY1MCP_SECRET_SHOULD_NOT_LEAK;
    },
  );

  it.skipIf(!linuxRoot)("a definition with network: false gets no interface but (down) loopback", () => {
    const planned = planLaunch({ command: process.execPath, args: [probe], env: {}, network: false }, settings, host);
    if (!planned.ok) throw new Error(planned.reason);
    expect(run(planned.plan).interfaces.filter((name) => name !== "lo")).toEqual([]);
    const open = planLaunch({ command: process.execPath, args: [probe], env: {} }, settings, host);
    if (!open.ok) throw new Error(open.reason);
    expect(run(open.plan).interfaces.filter((name) => name !== "lo").length).toBeGreaterThan(0);
  });

  it("without a sandbox only PATH and HOME are inherited", () => {
    const planned = planLaunch({ command: "node", args: [], env: { X: "1" } }, undefined, host);
    expect(planned).toMatchObject({ ok: true, plan: { command: "node", env: { X: "1" } } });
    if (planned.ok)
      expect(Object.keys(planned.plan.env).sort()).toEqual(
        ["HOME", "PATH", "X"].filter((k) => k === "X" || process.env[k] !== undefined),
      );
  });
});

import { accessSync, constants } from "node:fs";
import path from "node:path";
import type { SandboxSettings } from "../security/security-schema.ts";

/** What an stdio upstream definition contributes to its launch. */
export type StdioDefinition = {
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  /** false: no network for this server (a fresh network namespace with only loopback). */
  network?: boolean;
};

export type LaunchPlan = {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** What holds for this launch, for the log and /status. */
  measures: string[];
};

export type Host = {
  platform: NodeJS.Platform;
  isRoot: boolean;
  env: NodeJS.ProcessEnv;
  /** Absolute path of a helper binary, if installed (prlimit, setpriv, unshare). */
  which: (tool: "prlimit" | "setpriv" | "unshare") => string | undefined;
  /** uid:gid of the unprivileged user, if it exists. */
  userIds: (name: string) => { uid: number; gid: number } | undefined;
};

/**
 * How to start an stdio upstream under the sandbox settings. Without a sandbox
 * only PATH and HOME are inherited (the skeleton's behaviour). With it, on Linux:
 * the command must be an absolute path to an executable; the environment is the
 * allow-list plus the definition's own variables; the process gets no new
 * privileges, runs as an unprivileged user when we are root, has file and process
 * rlimits (and an address-space limit from max_memory_mb), and, when the definition
 * says `network: false`, its own network namespace. CPU percent is a rate and is
 * applied with cgroups (./cgroup-limits.ts), never RLIMIT_CPU, which would kill a
 * long-running server once its lifetime budget is spent.
 */
export function planLaunch(
  def: StdioDefinition,
  settings: SandboxSettings | undefined,
  host: Host,
): { ok: true; plan: LaunchPlan } | { ok: false; reason: string } {
  for (const arg of def.args) {
    if (arg.includes("\u0000")) return { ok: false, reason: "an argument contains a NUL byte" };
  }
  if (!settings?.enabled) {
    const env: Record<string, string> = {};
    if (host.env.PATH !== undefined) env.PATH = host.env.PATH;
    if (host.env.HOME !== undefined) env.HOME = host.env.HOME;
    return { ok: true, plan: { command: def.command, args: [...def.args], env: { ...env, ...def.env }, measures: [] } };
  }
  if (!path.isAbsolute(def.command)) {
    return { ok: false, reason: `sandboxed command must be an absolute path (got '${def.command}')` };
  }
  try {
    accessSync(def.command, constants.X_OK);
  } catch {
    return { ok: false, reason: `command '${def.command}' is not an executable file` };
  }
  const env: Record<string, string> = {};
  for (const name of settings.env_allow) {
    const value = host.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, def.env);
  const measures = ["absolute command", "env allow-list"];
  if (host.platform !== "linux") {
    return { ok: true, plan: { command: def.command, args: [...def.args], env, measures } };
  }

  let argv: string[] = [def.command, ...def.args];
  const prlimit = host.which("prlimit");
  if (prlimit) {
    const limits: string[] = [];
    if (settings.max_open_files) limits.push(`--nofile=${settings.max_open_files}`);
    if (settings.max_processes) limits.push(`--nproc=${settings.max_processes}`);
    if (settings.max_memory_mb) limits.push(`--as=${settings.max_memory_mb * 1024 * 1024}`);
    if (limits.length > 0) {
      argv = [prlimit, ...limits, "--", ...argv];
      measures.push(`rlimits (${limits.join(" ")})`);
    }
  }
  const setpriv = host.which("setpriv");
  if (setpriv) {
    const drop: string[] = ["--no-new-privs"];
    if (host.isRoot) {
      const ids = host.userIds(settings.run_as_user);
      if (!ids) return { ok: false, reason: `sandbox user '${settings.run_as_user}' does not exist` };
      drop.push(`--reuid=${ids.uid}`, `--regid=${ids.gid}`, "--clear-groups");
      measures.push(`runs as ${settings.run_as_user}`);
    }
    argv = [setpriv, ...drop, "--", ...argv];
    measures.push("no new privileges");
  } else if (host.isRoot) {
    return { ok: false, reason: "setpriv (util-linux) is needed to drop root for sandboxed upstreams" };
  }
  if (def.network === false || settings.no_network) {
    const unshare = host.which("unshare");
    if (!unshare) return { ok: false, reason: "unshare (util-linux) is needed for network isolation" };
    // unshare first: creating a namespace needs the privilege that setpriv then drops.
    argv = [unshare, "--net", "--", ...argv];
    measures.push("no network (own network namespace)");
  }
  const [command, ...args] = argv;
  return { ok: true, plan: { command: command as string, args, env, measures } };
}

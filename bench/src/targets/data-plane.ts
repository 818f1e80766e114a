import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Era, type Front, openLegacyFront, openStatelessFront } from "../mcp-front.ts";
import { BENCH_DIR, DATA_PLANE_MAIN, dataPlaneNodeFlags, nodeFlags, sibling } from "../paths.ts";
import { dataPlaneListening, portLine, startProcess } from "../processes.ts";
import { benchConfig } from "./data-plane-config.ts";
import { type MeasuredProcess, Skip, type TargetSpec } from "./types.ts";

type Options = { upstream: "stdio" | "http"; era: Era; enforcement: "on" | "off" };

/** The data plane (built, `data-plane/dist/main.js`) from a local config file with one echo upstream. */
export function dataPlaneTarget(options: Options): TargetSpec {
  const id = `data-plane-${options.upstream}-${options.era}-enforcement-${options.enforcement}`;
  return {
    id,
    label: `data plane, enforcement ${options.enforcement}, ${options.upstream} upstream, ${options.era} front`,
    kind: "data-plane",
    upstream: options.upstream,
    era: options.era,
    enforcement: options.enforcement,
    async start(fixtures) {
      const upstream =
        options.upstream === "stdio"
          ? {
              id: "ups_echo",
              name: "echo",
              transport: "stdio" as const,
              command: process.execPath,
              args: [...nodeFlags(), sibling("echo-upstream"), "stdio"],
              env: {},
              cwd: BENCH_DIR,
            }
          : { id: "ups_echo", name: "echo", transport: "http" as const, url: (await fixtures.echoHttp()).url };
      const { config, apiKey, enforcement } = await benchConfig(upstream, options.enforcement);
      const dir = path.join(fixtures.tmpDir, id);
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, "config.yaml");
      writeFileSync(file, JSON.stringify(config, null, 2)); // JSON is YAML
      // Enforcement on includes audit: the plane ships its events to a local intake (src/audit-sink.ts).
      const auditUrl = options.enforcement === "on" ? await startAuditSink(id) : undefined;
      const { process: plane, port } = await startProcess({
        name: id,
        command: process.execPath,
        args: [...dataPlaneNodeFlags(), ...fixtures.dataPlaneNodeArgs, DATA_PLANE_MAIN, "--config", file],
        env: {
          DATA_PLANE_PORT: "0",
          ONLY1MCP_DATA_DIR: dir,
          DATA_PLANE_NAME: id,
          ...(auditUrl ? { ONLY1MCP_CONTROL_PLANE_URL: auditUrl, ONLY1MCP_NODE_TOKEN: "bench-audit-intake" } : {}),
        },
        readyLine: dataPlaneListening,
      });
      const base = `http://127.0.0.1:${port}`;
      const auth = { authorization: `Bearer ${apiKey}` };
      const legacy = await openWhenReady(`${base}/mcp`, auth);
      const front = options.era === "legacy" ? legacy : await openStateless(`${base}/mcp`, auth);
      const gateway = { role: "data plane", pid: plane.pid };
      const processes: MeasuredProcess[] = [gateway];
      const upstreamPid = await stdioUpstreamPid(base);
      if (upstreamPid) processes.push({ role: "upstream", pid: upstreamPid });
      const audit = auditUrl ? "; audit events shipped to a local intake" : "";
      return { front, gateway, processes, detail: `enforcement: ${enforcement}${audit}` };
    },
  };
}

async function startAuditSink(id: string): Promise<string> {
  const { port } = await startProcess({
    name: `${id} audit intake`,
    command: process.execPath,
    args: [...nodeFlags(), sibling("audit-sink")],
    readyLine: portLine,
  });
  return `http://127.0.0.1:${port}`;
}

/** Upstreams connect after the listening line; retry until the echo tool is listed. */
async function openWhenReady(url: string, auth: Record<string, string>): Promise<Front> {
  const deadline = Date.now() + 20_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await openLegacyFront(url, auth);
    } catch (error) {
      last = error;
      await sleep(200);
    }
  }
  throw new Error((last as Error | undefined)?.message ?? "not ready");
}

async function openStateless(url: string, auth: Record<string, string>): Promise<Front> {
  try {
    return await openStatelessFront(url, auth);
  } catch (error) {
    throw new Skip(`the data plane does not serve the 2026-07-28 stateless era yet (${(error as Error).message})`);
  }
}

async function stdioUpstreamPid(base: string): Promise<number | undefined> {
  const status = (await (await fetch(`${base}/_only1mcp/status`)).json()) as { upstreams?: { pid?: unknown }[] };
  const pid = status.upstreams?.[0]?.pid;
  return typeof pid === "number" ? pid : undefined;
}

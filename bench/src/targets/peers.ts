// Peers installed from npm as benchmark-only devDependencies, fronting the same
// stdio echo upstream, one session, as their own docs run them.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { openLegacyFront } from "../mcp-front.ts";
import { nodeFlags, sibling } from "../paths.ts";
import { freePort, startProcess, waitForHttp } from "../processes.ts";
import { Skip, type StartedTarget, type TargetSpec } from "./types.ts";

const require = createRequire(import.meta.url);

function packageFile(name: string, file: string): { file: string; version: string } {
  let manifest: string;
  try {
    manifest = require.resolve(`${name}/package.json`);
  } catch {
    throw new Skip(`${name} is not installed (npm ci in the bench workspace)`);
  }
  const version = (require(manifest) as { version: string }).version;
  return { file: path.join(path.dirname(manifest), file), version };
}

const echoCommand = () => [process.execPath, ...nodeFlags(), sibling("echo-upstream"), "stdio"];

async function startPeer(
  name: string,
  args: (port: number) => string[],
  file: string,
  nodeArgs: string[] = [],
): Promise<StartedTarget> {
  const port = await freePort();
  const { process: peer } = await startProcess({
    name,
    command: process.execPath,
    args: [...nodeArgs, file, ...args(port)],
  });
  const url = `http://127.0.0.1:${port}/mcp`;
  await waitForHttp(url);
  const front = await openLegacyFront(url);
  const gateway = { role: name, pid: peer.pid };
  const upstreams = descendantPids(peer.pid).map((pid) => ({ role: "upstream", pid }));
  return { front, gateway, processes: [gateway, ...upstreams] };
}

/** Descendants of a process (the stdio upstream a peer spawned, maybe under a shell), from /proc. */
export function descendantPids(pid: number): number[] {
  let children: number[];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendantPids(child)]);
}

export const mcpProxy: TargetSpec = {
  id: "peer-mcp-proxy-stdio",
  label: "mcp-proxy, stdio upstream, legacy front",
  kind: "peer",
  upstream: "stdio",
  era: "legacy",
  async start() {
    const pkg = packageFile("mcp-proxy", "dist/bin/mcp-proxy.mjs");
    return startPeer(
      `mcp-proxy ${pkg.version}`,
      (port) => ["--port", String(port), "--host", "127.0.0.1", "--server", "stream", "--", ...echoCommand()],
      pkg.file,
      [],
    );
  },
};

export const supergateway: TargetSpec = {
  id: "peer-supergateway-stdio",
  label: "supergateway, stdio upstream, legacy front",
  kind: "peer",
  upstream: "stdio",
  era: "legacy",
  async start() {
    const pkg = packageFile("supergateway", "dist/index.js");
    return startPeer(
      `supergateway ${pkg.version}`,
      (port) => [
        "--stdio",
        echoCommand()
          .map((a) => JSON.stringify(a))
          .join(" "),
        "--outputTransport",
        "streamableHttp",
        "--stateful",
        "--port",
        String(port),
        "--logLevel",
        "none",
      ],
      pkg.file,
      [...nodeFlags(), "--import", pathToFileURL(sibling("bind-loopback")).href],
    );
  },
};

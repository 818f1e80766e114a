import { nodeFlags, sibling } from "../paths.ts";
import { portLine, startProcess } from "../processes.ts";
import type { TargetSpec } from "./types.ts";

/** The limit of this machine: a bare node:http server answering a fixed JSON-RPC result. */
export const bareHttp: TargetSpec = {
  id: "bare-node-http",
  label: "bare node:http JSON answer (reference)",
  kind: "reference",
  upstream: "none",
  era: "n/a",
  async start() {
    const { process, port } = await startProcess({
      name: "bare node:http",
      command: globalThis.process.execPath,
      args: [...nodeFlags(), sibling("bare-http")],
      readyLine: portLine,
    });
    const gateway = { role: "server", pid: process.pid };
    return {
      front: { url: `http://127.0.0.1:${port}/`, headers: {}, tool: "echo" },
      gateway,
      processes: [gateway],
    };
  },
};

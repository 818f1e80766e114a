// `npm run data-plane -- --config <file.yaml>`: one data plane alone, configured
// by a local YAML file (snapshot.v1 payload shape), hot-reloaded on change.
import { spawn } from "node:child_process";
import path from "node:path";
import { buildIfMissing, dataPlaneNodeFlags, root } from "./build-if-missing.mjs";

buildIfMissing(["@only1mcp/data-plane"]);
const child = spawn(
  process.execPath,
  [...dataPlaneNodeFlags(), path.join(root, "data-plane/dist/main.js"), ...process.argv.slice(2)],
  {
    // npm sets INIT_CWD to where the user ran the command, so relative --config paths work.
    cwd: process.env.INIT_CWD ?? root,
    stdio: "inherit",
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

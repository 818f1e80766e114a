// Preloaded into the soaked data plane (NODE_OPTIONS=--import …): every
// ONLY1MCP_PROBE_MS it runs a full GC and writes the heap after it and the counts of
// process.getActiveResourcesInfo() (handles and requests keeping the loop alive) to
// ONLY1MCP_PROBE_FILE.<pid> (a child that inherits NODE_OPTIONS writes its own), so the harness reads what /proc cannot show. Test-only.
import { renameSync, writeFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

const base = process.env.ONLY1MCP_PROBE_FILE;
if (base) {
  const file = `${base}.${process.pid}`;
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc");
  const every = Number(process.env.ONLY1MCP_PROBE_MS ?? 2000);
  const probe = () => {
    gc();
    const memory = process.memoryUsage();
    const resources = {};
    for (const type of process.getActiveResourcesInfo()) resources[type] = (resources[type] ?? 0) + 1;
    const body = JSON.stringify({
      at: Date.now(),
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      rss: memory.rss,
      resources,
    });
    writeFileSync(`${file}.tmp`, body);
    renameSync(`${file}.tmp`, file);
  };
  probe();
  setInterval(probe, every).unref();
}

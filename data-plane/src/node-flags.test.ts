import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Every launcher passes these to the data plane's node (see README, "Memory"): a flag
// this Node or its V8 no longer knows would stop the data plane from starting at all.
describe("data-plane/node-flags.json", () => {
  it("holds flags this Node accepts", () => {
    const { flags } = JSON.parse(readFileSync(new URL("../node-flags.json", import.meta.url), "utf8")) as {
      flags: string[];
    };
    expect(flags.length).toBeGreaterThan(0);
    const run = spawnSync(process.execPath, [...flags, "-e", "process.stdout.write('ok')"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("ok");
    expect(run.status).toBe(0);
  });
});

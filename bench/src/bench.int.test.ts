// Smoke test of `npm run bench` in its quick mode: the run completes, writes the
// JSON, Markdown and SVG results, and the table has rows. It asserts no speed:
// this machine is shared and noisy.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./paths.ts";

const run = promisify(execFile);
const resultsDir = mkdtempSync(path.join(tmpdir(), "only1mcp-bench-test-"));

afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

type Results = {
  schema: string;
  overhead: { id: string; status: string; results: { concurrency: number; throughput: { runs: number } }[] }[];
  fleet: { id: string; status: string; reason?: string }[];
  targets: { target: string; verdict: string }[];
};

describe("npm run bench (BENCH_QUICK=1)", () => {
  it("measures, prints a table and writes results", { timeout: 600_000 }, async () => {
    const main = path.join(REPO_ROOT, "bench/dist/main.js");
    expect(existsSync(main), "bench/dist is built by `turbo run build` before the tests").toBe(true);
    const { stdout } = await run(process.execPath, [main], {
      cwd: REPO_ROOT,
      env: { ...process.env, BENCH_QUICK: "1", BENCH_RESULTS_DIR: resultsDir },
      maxBuffer: 16 * 1024 * 1024,
    });

    const results = JSON.parse(readFileSync(path.join(resultsDir, "latest.json"), "utf8")) as Results;
    expect(results.schema).toBe("only1mcp-bench.v1");
    const bare = results.overhead.find((t) => t.id === "bare-node-http");
    expect(bare?.status).toBe("ok");
    expect(bare?.results.map((r) => r.concurrency)).toEqual([1, 32]);
    expect(bare?.results.every((r) => r.throughput.runs >= 3)).toBe(true);
    const dataPlane = results.overhead.find((t) => t.id === "data-plane-stdio-legacy-enforcement-on");
    expect(dataPlane?.status).toBe("ok");
    // Every scenario is reported, ran or not, and what did not run says why.
    for (const item of [...results.overhead, ...results.fleet]) {
      expect(["ok", "skipped", "failed"]).toContain(item.status);
    }
    expect(results.fleet.find((s) => s.id === "snapshot-compile-sign")?.status).toBe("ok");
    expect(results.targets.length).toBeGreaterThanOrEqual(10);

    // The printed table has a row per concurrency of the reference, and the targets.
    expect(stdout).toMatch(/^\| bare-node-http +\| 1 +\|/m);
    expect(stdout).toMatch(/^\| bare-node-http +\| 32 +\|/m);
    expect(stdout).toMatch(/^\| gateway CPU per tools\/call/m);
    expect(readFileSync(path.join(resultsDir, "latest.svg"), "utf8")).toMatch(/^<svg[^>]*>[\s\S]*<rect[\s\S]*<\/svg>$/);
  });
});

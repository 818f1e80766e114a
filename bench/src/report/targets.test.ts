import { describe, expect, it } from "vitest";
import type { FleetResult } from "../fleet/types.ts";
import type { ConcurrencyResult, TargetResult } from "../scenarios/overhead.ts";
import { figure } from "../stats.ts";
import { derive } from "./derive.ts";
import { checkTargets } from "./targets.ts";

function at(concurrency: number, throughput: number, p50Ms: number, p99Ms: number, cpuUs: number): ConcurrencyResult {
  return {
    concurrency,
    throughput: figure([throughput]),
    p50Ms: figure([p50Ms]),
    p99Ms: figure([p99Ms]),
    cpuUsPerCall: figure([cpuUs]),
    errors: 0,
    samples: [],
  };
}

function target(id: string, kind: TargetResult["kind"], results: ConcurrencyResult[], rss = 0): TargetResult {
  return {
    id,
    label: id,
    kind,
    upstream: "stdio",
    era: "legacy",
    status: "ok",
    results,
    peakRssMb: { "data plane": rss },
  };
}

const overhead: TargetResult[] = [
  target("bare-node-http", "reference", [at(1, 10_000, 0.1, 0.2, 30), at(32, 20_000, 1.6, 3, 30)]),
  target("direct-http-upstream", "direct", [at(1, 2_000, 0.5, 1, 200), at(32, 4_000, 8, 12, 200)]),
  target("data-plane-http-legacy-enforcement-on", "data-plane", [at(1, 1_800, 0.6, 3, 90), at(32, 3_000, 10, 15, 90)]),
  target(
    "data-plane-stdio-legacy-enforcement-on",
    "data-plane",
    [at(1, 1_900, 0.5, 1, 80), at(32, 6_000, 5, 9, 80)],
    90,
  ),
  target("data-plane-stdio-legacy-enforcement-off", "data-plane", [at(32, 7_000, 4, 8, 65)]),
  target("peer-mcp-proxy-stdio", "peer", [at(1, 500, 2, 4, 500), at(32, 1_750, 18, 30, 514)]),
  { ...target("peer-supergateway-stdio", "peer", []), status: "skipped", reason: "not installed" },
];
const fleet: FleetResult[] = [
  {
    id: "snapshot-compile-sign",
    label: "compile",
    status: "ok",
    metrics: [{ id: "compileSignMs", label: "", unit: "ms", value: figure([1200, 1300, 1100]) }],
  },
  { id: "audit-ingest", label: "ingest", status: "skipped", reason: "missing", metrics: [] },
];

describe("targets of issue 7", () => {
  const checks = new Map(checkTargets(overhead, fleet).map((c) => [c.target, c]));

  it("passes and misses on this run's numbers", () => {
    expect(checks.get("gateway CPU per tools/call")).toMatchObject({ measured: 80, verdict: "pass" });
    // 6000 / 1750 (the best peer that ran; the skipped one does not count)
    expect(checks.get("throughput vs best peer (same stdio upstream)")?.measured).toBeCloseTo(3.43, 2);
    expect(checks.get("added latency, median")).toMatchObject({ verdict: "pass" });
    expect(checks.get("enforcement cost: CPU per call, on − off")).toMatchObject({ measured: 15, verdict: "info" });
    expect(checks.get("added latency, median")?.measured).toBeCloseTo(0.1, 6);
    expect(checks.get("added latency, p99")).toMatchObject({ measured: 2, verdict: "miss" });
    expect(checks.get("proxied throughput vs direct")).toMatchObject({ measured: 75, verdict: "pass" });
    expect(checks.get("peak data-plane RSS under load")).toMatchObject({ measured: 90, verdict: "pass" });
    expect(checks.get("snapshot compile + sign (10k keys, 1k policies)")).toMatchObject({
      measured: 1200,
      verdict: "miss",
    });
  });

  it("says n/a for what did not run", () => {
    expect(checks.get("audit ingestion")).toMatchObject({ measured: null, verdict: "n/a" });
    expect(checks.get("snapshot applied")?.verdict).toBe("n/a");
  });

  it("derives ratios to the bare answer and latency over the direct call", () => {
    const dp = derive(overhead).find((t) => t.id === "data-plane-stdio-legacy-enforcement-on");
    expect(dp?.derived[32]?.throughputVsBare).toBeCloseTo(0.3, 6);
    expect(dp?.derived[32]?.cpuVsBare).toBeCloseTo(80 / 30, 6);
    expect(dp?.derived[1]?.addedP50Ms).toBeCloseTo(0, 6);
  });
});

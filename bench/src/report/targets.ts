// The targets, checked against this run's numbers (pass / miss / n/a).
import type { FleetResult } from "../fleet/types.ts";
import type { TargetResult } from "../scenarios/overhead.ts";
import { DIRECT_ID, find } from "./derive.ts";

export type TargetCheck = {
  target: string;
  measured: number | null;
  goal: string;
  unit: string;
  /** `info`: a figure the issue asks to report, with no goal of its own. */
  verdict: "pass" | "miss" | "n/a" | "info";
  basis: string;
};

const DP_STDIO = "data-plane-stdio-legacy-enforcement-on";
const DP_HTTP = "data-plane-http-legacy-enforcement-on";
const DP_STDIO_OFF = "data-plane-stdio-legacy-enforcement-off";

export function checkTargets(overhead: TargetResult[], fleet: FleetResult[]): TargetCheck[] {
  const at = (id: string, c: number) => find(overhead, id)?.results.find((r) => r.concurrency === c);
  const metric = (id: string, m: string) => find(fleet, id)?.metrics.find((x) => x.id === m)?.value.median;
  const peers = overhead.filter((t) => t.kind === "peer" && t.status === "ok");
  const bestPeer = Math.max(...peers.map((p) => p.results.find((r) => r.concurrency === 32)?.throughput.median ?? 0));
  const dpStdio32 = at(DP_STDIO, 32);
  const dpHttp1 = at(DP_HTTP, 1);
  const dpHttp32 = at(DP_HTTP, 32);
  const direct1 = at(DIRECT_ID, 1);
  const direct32 = at(DIRECT_ID, 32);
  const dpPeak = find(overhead, DP_STDIO)?.peakRssMb["data plane"];
  const dpStdioOff32 = at(DP_STDIO_OFF, 32);
  const stdioBasis = "data plane, enforcement on (API key), stdio echo upstream, c=32";
  return [
    check("gateway CPU per tools/call", dpStdio32?.cpuUsPerCall.median, "≤ 100", "µs", (v) => v <= 100, stdioBasis),
    check(
      "throughput vs best peer (same stdio upstream)",
      dpStdio32 && peers.length > 0 && bestPeer > 0 ? dpStdio32.throughput.median / bestPeer : undefined,
      "≥ 3",
      "×",
      (v) => v >= 3,
      `${stdioBasis}; peers: ${peers.map((p) => p.id.replace(/^peer-/, "")).join(", ") || "none ran"}`,
    ),
    info(
      "enforcement cost: CPU per call, on − off",
      dpStdio32 && dpStdioOff32 ? dpStdio32.cpuUsPerCall.median - dpStdioOff32.cpuUsPerCall.median : undefined,
      "µs",
      "stdio echo upstream, c=32: enforcement on (API key, policy, rate limits, audit) minus off (#4)",
    ),
    check(
      "added latency, median",
      dpHttp1 && direct1 ? dpHttp1.p50Ms.median - direct1.p50Ms.median : undefined,
      "≤ 0.15",
      "ms",
      (v) => v <= 0.15,
      "data plane → HTTP echo upstream vs the same upstream called directly, c=1",
    ),
    check(
      "added latency, p99",
      dpHttp1 && direct1 ? dpHttp1.p99Ms.median - direct1.p99Ms.median : undefined,
      "≤ 1",
      "ms",
      (v) => v <= 1,
      "same, p99",
    ),
    check(
      "proxied throughput vs direct",
      dpHttp32 && direct32 ? (dpHttp32.throughput.median / direct32.throughput.median) * 100 : undefined,
      "≥ 60",
      "%",
      (v) => v >= 60,
      "data plane → HTTP echo upstream vs the upstream directly, c=32",
    ),
    check("peak data-plane RSS under load", dpPeak, "≤ 150", "MB", (v) => v <= 150, "VmHWM after the load runs"),
    check(
      "data-plane RSS idle, 100 upstreams + 10k keys",
      metric("data-plane-idle-rss", "idleRssMb"),
      "≤ 100",
      "MB",
      (v) => v <= 100,
      "VmRSS once upstreams are connected",
    ),
    check(
      "snapshot compile + sign (10k keys, 1k policies)",
      metric("snapshot-compile-sign", "compileSignMs"),
      "< 1000",
      "ms",
      (v) => v < 1000,
      "buildPayload + signSnapshot",
    ),
    check("snapshot applied", metric("snapshot-apply", "applyMs"), "< 200", "ms", (v) => v < 200, "PUT round trip"),
    check(
      "longest event-loop stall while applying",
      metric("snapshot-apply", "stallMs"),
      "≤ 50",
      "ms",
      (v) => v <= 50,
      "slowest /healthz probe during the PUT (client side)",
    ),
    check(
      "publish → applied on 3 data planes, p99",
      metric("publish-applied-3-planes", "p99Ms"),
      "< 1000",
      "ms",
      (v) => v < 1000,
      "publishSnapshot + pushSnapshotToNodes on Postgres",
    ),
    check(
      "audit ingestion",
      metric("audit-ingest", "eventsPerSecond"),
      "≥ 5000",
      "events/s",
      (v) => v >= 5000,
      "batches of 1000 into Postgres",
    ),
    check(
      "audit query p95 over 1M events",
      metric("audit-query-1m", "p95Ms"),
      "< 200",
      "ms",
      (v) => v < 200,
      "first page of a tenant's events",
    ),
  ];
}

/** A figure reported beside the targets, without a goal. */
function info(target: string, measured: number | undefined, unit: string, basis: string): TargetCheck {
  if (measured === undefined || !Number.isFinite(measured)) {
    return { target, measured: null, goal: "–", unit, verdict: "n/a", basis: `${basis} (not measured in this run)` };
  }
  return { target, measured, goal: "–", unit, verdict: "info", basis };
}

function check(
  target: string,
  measured: number | undefined,
  goal: string,
  unit: string,
  passes: (v: number) => boolean,
  basis: string,
): TargetCheck {
  if (measured === undefined || !Number.isFinite(measured)) {
    return { target, measured: null, goal, unit, verdict: "n/a", basis: `${basis} (not measured in this run)` };
  }
  return { target, measured, goal, unit, verdict: passes(measured) ? "pass" : "miss", basis };
}

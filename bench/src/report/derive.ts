// Figures derived from the raw results: ratios to the bare node:http reference
// measured in the same run, and latency added over calling the upstream directly.
import type { ConcurrencyResult, TargetResult } from "../scenarios/overhead.ts";

export type Derived = {
  /** Throughput as a fraction of the bare node:http answer's at the same concurrency. */
  throughputVsBare?: number;
  /** p50 latency as a multiple of the bare answer's. */
  p50VsBare?: number;
  /** Gateway CPU per call as a multiple of the bare server's. */
  cpuVsBare?: number;
  /** Median and p99 latency minus those of the direct Streamable HTTP upstream call. */
  addedP50Ms?: number;
  addedP99Ms?: number;
};

export type DerivedTargetResult = TargetResult & { derived: Record<number, Derived> };

export const REFERENCE_ID = "bare-node-http";
export const DIRECT_ID = "direct-http-upstream";

export function derive(results: TargetResult[]): DerivedTargetResult[] {
  const at = (id: string, c: number) => find(results, id)?.results.find((r) => r.concurrency === c);
  return results.map((target) => {
    const derived: Record<number, Derived> = {};
    for (const r of target.results) {
      const bare = at(REFERENCE_ID, r.concurrency);
      const direct = at(DIRECT_ID, r.concurrency);
      derived[r.concurrency] = {
        ...(bare ? ratios(r, bare) : {}),
        ...(direct && target.id !== DIRECT_ID && target.kind !== "reference"
          ? { addedP50Ms: r.p50Ms.median - direct.p50Ms.median, addedP99Ms: r.p99Ms.median - direct.p99Ms.median }
          : {}),
      };
    }
    return { ...target, derived };
  });
}

function ratios(r: ConcurrencyResult, bare: ConcurrencyResult): Derived {
  return {
    throughputVsBare: r.throughput.median / bare.throughput.median,
    p50VsBare: r.p50Ms.median / bare.p50Ms.median,
    cpuVsBare: r.cpuUsPerCall.median / bare.cpuUsPerCall.median,
  };
}

export function find<T extends { id: string; status: string }>(items: T[], id: string): T | undefined {
  return items.find((t) => t.id === id && t.status === "ok");
}

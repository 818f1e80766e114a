import path from "node:path";
import { BENCH_DIR } from "./paths.ts";

export const DEFAULT_RESULTS_DIR = path.join(BENCH_DIR, "results");

export type BenchOptions = {
  quick: boolean;
  /** Repeated runs per figure (the median of them is reported). */
  repeats: number;
  durationMs: number;
  warmupMs: number;
  concurrencies: number[];
  resultsDir: string;
  /** Only targets / fleet scenarios whose id contains one of these (BENCH_ONLY=a,b). */
  only: string[];
  /** BENCH_CPU_PROF=<dir>: data planes run with `node --cpu-prof` into that directory (for profiling a miss). */
  cpuProfDir: string | undefined;
};

/** BENCH_QUICK=1: a 1–2 minute run (smoke test); BENCH_RESULTS_DIR: where to write. */
export function benchOptions(env: NodeJS.ProcessEnv): BenchOptions {
  const quick = env.BENCH_QUICK === "1";
  return {
    quick,
    repeats: Number(env.BENCH_REPEATS ?? (quick ? 3 : 3)),
    durationMs: Number(env.BENCH_DURATION_MS ?? (quick ? 500 : 3000)),
    // Long enough for V8 to have optimised the request path at the rate a single client
    // sends (runs right after a short warm-up measured c=1 ~40% slower than steady state).
    warmupMs: quick ? 300 : 4000,
    concurrencies: [1, 32],
    resultsDir: path.resolve(env.BENCH_RESULTS_DIR ?? DEFAULT_RESULTS_DIR),
    only: (env.BENCH_ONLY ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    cpuProfDir: env.BENCH_CPU_PROF ? path.resolve(env.BENCH_CPU_PROF) : undefined,
  };
}

export function selected(options: BenchOptions, id: string): boolean {
  return options.only.length === 0 || options.only.some((part) => id.includes(part));
}

/** Runs of a quick fleet figure: five in a full run (cheap and noisy), the minimum in a quick one. */
export function fleetRuns(options: BenchOptions): number {
  return options.quick ? options.repeats : Math.max(options.repeats, 5);
}

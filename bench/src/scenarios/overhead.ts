// Gateway overhead on tools/call: every target is started once, warmed up, then
// measured in rounds (each round runs every target at each concurrency, in a
// rotating order) so that the noise of a shared machine falls on all of them alike.
import { runLoad } from "../load.ts";
import { toolsCallBody } from "../mcp-front.ts";
import type { BenchOptions } from "../options.ts";
import { cpuSeconds, memoryMb } from "../proc-stats.ts";
import { type Figure, figure } from "../stats.ts";
import { type Fixtures, Skip, type StartedTarget, type TargetSpec } from "../targets/types.ts";

export type RunSample = {
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerCall: number;
  requests: number;
  errors: number;
};

export type ConcurrencyResult = {
  concurrency: number;
  throughput: Figure;
  p50Ms: Figure;
  p99Ms: Figure;
  cpuUsPerCall: Figure;
  errors: number;
  samples: RunSample[];
  firstError?: string;
};

export type TargetResult = {
  id: string;
  label: string;
  kind: TargetSpec["kind"];
  upstream: TargetSpec["upstream"];
  era: TargetSpec["era"];
  enforcement?: "on" | "off";
  status: "ok" | "skipped" | "failed";
  reason?: string;
  detail?: string;
  results: ConcurrencyResult[];
  /** Peak RSS (VmHWM) of each process of the target, MB. */
  peakRssMb: Record<string, number>;
};

type Live = { spec: TargetSpec; started: StartedTarget; samples: Map<number, RunSample[]>; firstError?: string };

export async function runOverhead(
  targets: TargetSpec[],
  fixtures: Fixtures,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<TargetResult[]> {
  const results = new Map<string, TargetResult>();
  const live: Live[] = [];
  for (const spec of targets) {
    const base = describe(spec);
    try {
      const started = await spec.start(fixtures);
      live.push({ spec, started, samples: new Map(options.concurrencies.map((c) => [c, []])) });
      log(`  started ${spec.id}`);
    } catch (error) {
      const status = error instanceof Skip ? "skipped" : "failed";
      results.set(spec.id, { ...base, status, reason: (error as Error).message, results: [], peakRssMb: {} });
      log(`  ${status} ${spec.id}: ${(error as Error).message}`);
    }
  }

  // Steady state, as a gateway serves for days: each target warmed at both concurrencies first.
  for (const target of live) {
    await runLoad(loadOf(target.started), { concurrency: 32, durationMs: options.warmupMs });
    await runLoad(loadOf(target.started), { concurrency: 1, durationMs: options.warmupMs / 4 });
  }
  for (let round = 0; round < options.repeats; round++) {
    log(`  round ${round + 1}/${options.repeats}`);
    const order = live.map((_, i) => live[(i + round) % live.length]).filter((t): t is Live => t !== undefined);
    for (const concurrency of options.concurrencies) {
      for (const target of order) {
        const pid = target.started.gateway.pid;
        const cpu0 = cpuSeconds(pid);
        const load = await runLoad(loadOf(target.started), { concurrency, durationMs: options.durationMs });
        const cpu1 = cpuSeconds(pid);
        target.firstError ??= load.firstError;
        target.samples.get(concurrency)?.push({
          throughput: load.throughput,
          p50Ms: load.p50Ms,
          p99Ms: load.p99Ms,
          cpuUsPerCall: load.requests > 0 ? ((cpu1 - cpu0) * 1e6) / load.requests : Number.NaN,
          requests: load.requests,
          errors: load.errors,
        });
      }
    }
  }

  for (const target of live) {
    const peakRssMb: Record<string, number> = {};
    for (const p of target.started.processes) {
      try {
        peakRssMb[p.role] = memoryMb(p.pid).peakRssMb;
      } catch {
        // the process is gone; nothing to report
      }
    }
    const perConcurrency = [...target.samples].map(([concurrency, samples]) => summarise(concurrency, samples));
    const errors = perConcurrency.reduce((n, r) => n + r.errors, 0);
    const requests = perConcurrency.reduce((n, r) => n + r.samples.reduce((m, s) => m + s.requests, 0), 0);
    const failed = requests === 0 || errors > requests * 0.01;
    results.set(target.spec.id, {
      ...describe(target.spec),
      ...(target.started.detail ? { detail: target.started.detail } : {}),
      status: failed ? "failed" : "ok",
      ...(failed ? { reason: `${errors} failed calls of ${errors + requests}: ${target.firstError ?? "?"}` } : {}),
      results: perConcurrency.map((r) => (target.firstError ? { ...r, firstError: target.firstError } : r)),
      peakRssMb,
    });
  }
  return targets.flatMap((spec) => results.get(spec.id) ?? []);
}

function loadOf(started: StartedTarget) {
  return {
    url: started.front.url,
    headers: started.front.headers,
    body: toolsCallBody(started.front.tool, started.front.meta),
  };
}

function describe(spec: TargetSpec): Omit<TargetResult, "status" | "results" | "peakRssMb"> {
  return {
    id: spec.id,
    label: spec.label,
    kind: spec.kind,
    upstream: spec.upstream,
    era: spec.era,
    ...(spec.enforcement ? { enforcement: spec.enforcement } : {}),
  };
}

function summarise(concurrency: number, samples: RunSample[]): ConcurrencyResult {
  return {
    concurrency,
    throughput: figure(samples.map((s) => s.throughput)),
    p50Ms: figure(samples.map((s) => s.p50Ms)),
    p99Ms: figure(samples.map((s) => s.p99Ms)),
    cpuUsPerCall: figure(samples.map((s) => s.cpuUsPerCall)),
    errors: samples.reduce((n, s) => n + s.errors, 0),
    samples,
  };
}

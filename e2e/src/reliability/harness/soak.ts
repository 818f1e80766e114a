// Load + soak: a fixed request rate of MCP tools/call against a real data plane with
// all enforcement on (API-key auth, a policy with allow/deny globs and an argument
// constraint, rate limits, audit shipped to the real ingestion on Postgres), sampling
// its RSS and open file descriptors (/proc) and, through a preloaded probe, its heap
// after a full GC and its active handles (process.getActiveResourcesInfo()), checked
// against stated bounds; at the end every audit event recorded is stored and the hash
// chains verify.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startAuditIngest } from "./audit-ingest-server.ts";
import { checkEnforcement, type EnforcementCheck } from "./enforcement-check.ts";
import { reportsDir } from "./figures.ts";
import { startLoad } from "./load.ts";
import { openFds, rssBytes } from "./proc-stats.ts";
import { signedPlane, waitFor, waitForUpstream } from "./signed-plane.ts";

/** The enforcement every soak runs with. */
const SOAK_POLICY = {
  id: "pol_soak",
  name: "soak",
  rules: {
    tools: { allow: ["everything__*"], deny: ["*delete*", "*write*", "*get-env*"] },
    argumentConstraints: [
      { tool: "*echo", schema: { type: "object", properties: { message: { type: "string", maxLength: 200 } } } },
    ],
    rateLimits: { perKey: { requests: 1_000_000, windowSeconds: 60 } },
  },
};
const SOAK_SECURITY = {
  rate_limiting: {
    per_client_limit: 1_000_000,
    per_tenant_limit: 1_000_000,
    window_seconds: 60,
    max_concurrent_per_client: 64,
  },
  observability: { audit: { enabled: true, events: ["authentication", "authorization", "call"] } },
};

export type SoakOptions = { durationMs: number; ratePerSecond: number; sampleEveryMs?: number; label: string };

/** The bounds a run must stay within, measured from the end of warm-up (first 20 % of the run) to the end. */
export const SOAK_BOUNDS = {
  maxErrors: 0,
  maxRssGrowthBytes: 64 * 1024 * 1024,
  maxFdGrowth: 16,
  /** V8 heap used, measured right after a full GC (retained memory, not garbage). */
  maxHeapGrowthBytes: 32 * 1024 * 1024,
  /** process.getActiveResourcesInfo().length: sockets, timers, child processes, pending requests. */
  maxHandleGrowth: 16,
} as const;

export type SoakSample = {
  atS: number;
  rssMiB: number;
  fds: number;
  heapMiB: number;
  handles: number;
  ok: number;
  failed: number;
};

type Probe = { at: number; heapUsed: number; heapTotal: number; rss: number; resources: Record<string, number> };
const PROBE_MODULE = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "process-probe.mjs")).href;

export type SoakReport = {
  label: string;
  startedAt: string;
  durationS: number;
  ratePerSecond: number;
  sent: number;
  ok: number;
  failed: number;
  errors: Record<string, number>;
  achievedRps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rssMiB: { warm: number; end: number; max: number; growth: number };
  fds: { warm: number; end: number; max: number; growth: number };
  heapMiB: { warm: number; end: number; max: number; growth: number };
  handles: { warm: number; end: number; max: number; growth: number; endByType: Record<string, number> };
  bounds: typeof SOAK_BOUNDS;
  violations: string[];
  /** Checked before the load: each kind of enforcement refuses what it should. */
  enforcement: EnforcementCheck;
  audit: { recorded: number; stored: number; chains: number; chainsOk: boolean };
  samples: SoakSample[];
};

const MiB = 1024 * 1024;
const round = (n: number) => Math.round(n * 10) / 10;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const ingest = await startAuditIngest();
  const probeDir = mkdtempSync(path.join(tmpdir(), "only1mcp-soak-probe-"));
  const probeBase = path.join(probeDir, "probe");
  const fixture = await signedPlane(undefined, {
    policies: [SOAK_POLICY],
    security: SOAK_SECURITY,
    env: {
      ONLY1MCP_CONTROL_PLANE_URL: ingest.url,
      ONLY1MCP_NODE_TOKEN: ingest.nodeToken,
      DATA_PLANE_AUDIT_FLUSH_MS: "500",
      // Rate-limit counters in Redis, as a fleet keeps them (own prefix; keys expire with the window).
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      ONLY1MCP_REDIS_PREFIX: `only1mcp-soak-${process.pid}-${Date.now()}`,
      NODE_OPTIONS: `--import ${PROBE_MODULE}`,
      ONLY1MCP_PROBE_FILE: probeBase,
      ONLY1MCP_PROBE_MS: "2000",
    },
  });
  const plane = await fixture.start();
  const pid = plane.proc.pid as number;
  // The probe writes <base>.<pid>, so a child that inherited NODE_OPTIONS cannot clobber it.
  const probeFile = `${probeBase}.${pid}`;
  const readProbe = (): Probe => {
    if (!existsSync(probeFile)) throw new Error("the process probe wrote nothing (NODE_OPTIONS --import failed?)");
    return JSON.parse(readFileSync(probeFile, "utf8")) as Probe;
  };
  try {
    if ((await fixture.push(plane, 1)).status !== 200) throw new Error("snapshot refused");
    await waitForUpstream(plane.url, "everything");
    readProbe(); // fails here, before any load, when the probe is not loaded
    const enforcement = await checkEnforcement(`${plane.url}/mcp`, fixture.apiKey, {
      allowed: "everything__echo",
      denied: "everything__get-env",
      constrained: { name: "everything__echo", args: { message: "x".repeat(201) } },
    });
    const startedAt = new Date();
    const load = startLoad({
      mcpUrl: `${plane.url}/mcp`,
      apiKey: fixture.apiKey,
      ratePerSecond: options.ratePerSecond,
      clients: 4,
    });
    const samples: SoakSample[] = [];
    let lastProbe: Probe | undefined;
    const sample = () => {
      const s = load.stats();
      const probe = readProbe();
      lastProbe = probe;
      samples.push({
        atS: round((Date.now() - startedAt.getTime()) / 1000),
        rssMiB: round(rssBytes(pid) / MiB),
        fds: openFds(pid),
        heapMiB: round(probe.heapUsed / MiB),
        handles: Object.values(probe.resources).reduce((n, c) => n + c, 0),
        ok: s.ok,
        failed: s.failed,
      });
    };
    const every = options.sampleEveryMs ?? Math.max(1000, Math.round(options.durationMs / 60));
    // A sampling error (the plane gone, no probe) ends the run through `finally`, not as an uncaught throw.
    let samplingError: unknown;
    const sampler = setInterval(() => {
      try {
        sample();
      } catch (error) {
        samplingError ??= error;
      }
    }, every);
    await new Promise((resolve) => setTimeout(resolve, options.durationMs));
    clearInterval(sampler);
    if (samplingError) {
      await load.stop();
      throw samplingError;
    }
    const stats = await load.stop();
    // Let the probe see the plane after the last requests settled.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    sample();
    if (plane.proc.exitCode !== null) throw new Error("the data plane died during the soak");

    const warmIndex = Math.max(
      0,
      samples.findIndex((s) => s.atS >= (options.durationMs / 1000) * 0.2),
    );
    const warm = samples[warmIndex] ?? samples[0];
    const end = samples.at(-1);
    if (!warm || !end) throw new Error("no samples");
    const afterWarm = samples.slice(warmIndex);
    const rss = {
      warm: warm.rssMiB,
      end: end.rssMiB,
      max: Math.max(...afterWarm.map((s) => s.rssMiB)),
      growth: round(end.rssMiB - warm.rssMiB),
    };
    const fds = {
      warm: warm.fds,
      end: end.fds,
      max: Math.max(...afterWarm.map((s) => s.fds)),
      growth: end.fds - warm.fds,
    };
    const heap = {
      warm: warm.heapMiB,
      end: end.heapMiB,
      max: Math.max(...afterWarm.map((s) => s.heapMiB)),
      growth: round(end.heapMiB - warm.heapMiB),
    };
    const handles = {
      warm: warm.handles,
      end: end.handles,
      max: Math.max(...afterWarm.map((s) => s.handles)),
      growth: end.handles - warm.handles,
      endByType: lastProbe?.resources ?? {},
    };
    // Every audit event the data plane recorded reaches Postgres once; chains verify.
    type Status = {
      audit?: { recorded: number; droppedSpoolFull: number; droppedWriteFailed: number };
      rateLimits?: { store: string; available: boolean; whileUnavailable: { admitted: number; refused: number } };
    };
    const auditStatus = async () => ((await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as Status).audit;
    const settled = await waitFor(
      async () => {
        const a = await auditStatus();
        const stored = await ingest.stored();
        return a && stored === a.recorded ? { ...a, stored } : undefined;
      },
      "every audit event to be stored",
      60_000,
    ).catch(async () => ({
      ...((await auditStatus()) ?? { recorded: -1, droppedSpoolFull: 0, droppedWriteFailed: 0 }),
      stored: await ingest.stored(),
    }));
    const chains = await ingest.chainsOk();
    const rateLimits = ((await (await fetch(`${plane.url}/_only1mcp/status`)).json()) as Status).rateLimits;
    enforcement.observed.push(`rate-limit store at the end: ${JSON.stringify(rateLimits)}`);
    if (rateLimits?.store !== "redis" || !rateLimits.available || rateLimits.whileUnavailable.admitted > 0)
      enforcement.failures.push(`rate limits not counted in Redis throughout: ${JSON.stringify(rateLimits)}`);
    const violations: string[] = enforcement.failures.map((f) => `enforcement not in effect: ${f}`);
    if (settled.stored !== settled.recorded)
      violations.push(`audit: ${settled.recorded} recorded, ${settled.stored} stored`);
    if (!chains.ok) violations.push("audit hash chain does not verify");
    if (stats.ok > 0 && settled.recorded < stats.ok) violations.push("audit recorded fewer events than calls");
    if (stats.failed > SOAK_BOUNDS.maxErrors) violations.push(`${stats.failed} failed requests`);
    if (rss.growth * MiB > SOAK_BOUNDS.maxRssGrowthBytes) violations.push(`RSS grew ${rss.growth} MiB after warm-up`);
    if (fds.growth > SOAK_BOUNDS.maxFdGrowth) violations.push(`open fds grew by ${fds.growth} after warm-up`);
    if (heap.growth * MiB > SOAK_BOUNDS.maxHeapGrowthBytes)
      violations.push(`heap (after GC) grew ${heap.growth} MiB after warm-up`);
    if (handles.growth > SOAK_BOUNDS.maxHandleGrowth)
      violations.push(`active handles grew by ${handles.growth} after warm-up`);
    return {
      label: options.label,
      startedAt: startedAt.toISOString(),
      durationS: round(options.durationMs / 1000),
      ratePerSecond: options.ratePerSecond,
      sent: stats.sent,
      ok: stats.ok,
      failed: stats.failed,
      errors: stats.errors,
      achievedRps: round(stats.ok / (options.durationMs / 1000)),
      p50Ms: stats.p50Ms,
      p99Ms: stats.p99Ms,
      maxMs: stats.maxMs,
      rssMiB: rss,
      fds,
      heapMiB: heap,
      handles,
      bounds: SOAK_BOUNDS,
      violations,
      enforcement,
      audit: { recorded: settled.recorded, stored: settled.stored, chains: chains.chains, chainsOk: chains.ok },
      samples,
    };
  } finally {
    await plane.stop();
    await fixture.cleanup();
    await ingest.close();
    rmSync(probeDir, { recursive: true, force: true });
  }
}

/** Writes reports/soak-<label>.json and .md; returns the markdown path. */
export function writeSoakReport(report: SoakReport): string {
  mkdirSync(reportsDir, { recursive: true });
  const base = path.join(reportsDir, `soak-${report.label}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  const md = [
    `# Soak report (${report.label})`,
    "",
    `Started ${report.startedAt}; ${report.durationS} s at ${report.ratePerSecond} req/s of MCP tools/call (SDK client) against one data plane with one stdio upstream and all enforcement on: API-key auth, a policy (allow/deny globs, argument constraint), rate limits, audit shipped to the control plane's ingestion on Postgres.`,
    "",
    `Result: **${report.violations.length === 0 ? "PASS" : `FAIL (${report.violations.join("; ")})`}**`,
    "",
    "| figure | value | bound |",
    "| --- | --- | --- |",
    `| requests sent / ok / failed | ${report.sent} / ${report.ok} / ${report.failed} | failed ≤ ${report.bounds.maxErrors} |`,
    `| achieved rate | ${report.achievedRps} req/s | |`,
    `| latency p50 / p99 / max | ${report.p50Ms} / ${report.p99Ms} / ${report.maxMs} ms | |`,
    `| RSS after warm-up → end (max) | ${report.rssMiB.warm} → ${report.rssMiB.end} MiB (${report.rssMiB.max}) | growth ≤ ${report.bounds.maxRssGrowthBytes / MiB} MiB |`,
    `| open fds after warm-up → end (max) | ${report.fds.warm} → ${report.fds.end} (${report.fds.max}) | growth ≤ ${report.bounds.maxFdGrowth} |`,
    `| V8 heap used after full GC, after warm-up → end (max) | ${report.heapMiB.warm} → ${report.heapMiB.end} MiB (${report.heapMiB.max}) | growth ≤ ${report.bounds.maxHeapGrowthBytes / MiB} MiB |`,
    `| active handles (getActiveResourcesInfo) after warm-up → end (max) | ${report.handles.warm} → ${report.handles.end} (${report.handles.max}); at end: ${Object.entries(
      report.handles.endByType,
    )
      .map(([t, n]) => `${t} ${n}`)
      .join(", ")} | growth ≤ ${report.bounds.maxHandleGrowth} |`,
    `| audit events recorded / stored, chains | ${report.audit.recorded} / ${report.audit.stored}, ${report.audit.chains} ${report.audit.chainsOk ? "verify" : "BROKEN"} | equal, verify |`,
    "",
    "## Enforcement checked before the load",
    "",
    ...report.enforcement.observed.map((o) => `- ${o}`),
    "",
    "## Samples",
    "",
    "| t (s) | RSS (MiB) | heap after GC (MiB) | fds | handles | ok | failed |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...report.samples.map(
      (s) => `| ${s.atS} | ${s.rssMiB} | ${s.heapMiB} | ${s.fds} | ${s.handles} | ${s.ok} | ${s.failed} |`,
    ),
    "",
  ].join("\n");
  writeFileSync(`${base}.md`, md);
  return `${base}.md`;
}

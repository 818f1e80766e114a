// Load + soak: a fixed request rate of MCP tools/call against a real data plane with
// all enforcement on (API-key auth, a policy with allow/deny globs and an argument
// constraint, rate limits, audit shipped to the real ingestion on Postgres), sampling
// its RSS and open file descriptors, checked against stated bounds; at the end every
// audit event recorded is stored and the hash chains verify.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startAuditIngest } from "./audit-ingest-server.ts";
import { reportsDir } from "./figures.ts";
import { startLoad } from "./load.ts";
import { openFds, rssBytes } from "./proc-stats.ts";
import { signedPlane, waitFor, waitForUpstream } from "./signed-plane.ts";

/** The enforcement every soak runs with. */
const SOAK_POLICY = {
  id: "pol_soak",
  name: "soak",
  rules: {
    tools: { allow: ["everything__*"], deny: ["*delete*", "*write*"] },
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
} as const;

export type SoakSample = { atS: number; rssMiB: number; fds: number; ok: number; failed: number };

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
  bounds: typeof SOAK_BOUNDS;
  violations: string[];
  audit: { recorded: number; stored: number; chains: number; chainsOk: boolean };
  samples: SoakSample[];
};

const MiB = 1024 * 1024;
const round = (n: number) => Math.round(n * 10) / 10;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const ingest = await startAuditIngest();
  const fixture = await signedPlane(undefined, {
    policies: [SOAK_POLICY],
    security: SOAK_SECURITY,
    env: {
      ONLY1MCP_CONTROL_PLANE_URL: ingest.url,
      ONLY1MCP_NODE_TOKEN: ingest.nodeToken,
      DATA_PLANE_AUDIT_FLUSH_MS: "500",
    },
  });
  const plane = await fixture.start();
  const pid = plane.proc.pid as number;
  try {
    if ((await fixture.push(plane, 1)).status !== 200) throw new Error("snapshot refused");
    await waitForUpstream(plane.url, "everything");
    const startedAt = new Date();
    const load = startLoad({
      mcpUrl: `${plane.url}/mcp`,
      apiKey: fixture.apiKey,
      ratePerSecond: options.ratePerSecond,
      clients: 4,
    });
    const samples: SoakSample[] = [];
    const sample = () => {
      const s = load.stats();
      samples.push({
        atS: round((Date.now() - startedAt.getTime()) / 1000),
        rssMiB: round(rssBytes(pid) / MiB),
        fds: openFds(pid),
        ok: s.ok,
        failed: s.failed,
      });
    };
    const every = options.sampleEveryMs ?? Math.max(1000, Math.round(options.durationMs / 60));
    const sampler = setInterval(sample, every);
    await new Promise((resolve) => setTimeout(resolve, options.durationMs));
    clearInterval(sampler);
    const stats = await load.stop();
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
    // Every audit event the data plane recorded reaches Postgres once; chains verify.
    type Status = { audit?: { recorded: number; droppedSpoolFull: number; droppedWriteFailed: number } };
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
    const violations: string[] = [];
    if (settled.stored !== settled.recorded)
      violations.push(`audit: ${settled.recorded} recorded, ${settled.stored} stored`);
    if (!chains.ok) violations.push("audit hash chain does not verify");
    if (stats.ok > 0 && settled.recorded < stats.ok) violations.push("audit recorded fewer events than calls");
    if (stats.failed > SOAK_BOUNDS.maxErrors) violations.push(`${stats.failed} failed requests`);
    if (rss.growth * MiB > SOAK_BOUNDS.maxRssGrowthBytes) violations.push(`RSS grew ${rss.growth} MiB after warm-up`);
    if (fds.growth > SOAK_BOUNDS.maxFdGrowth) violations.push(`open fds grew by ${fds.growth} after warm-up`);
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
      bounds: SOAK_BOUNDS,
      violations,
      audit: { recorded: settled.recorded, stored: settled.stored, chains: chains.chains, chainsOk: chains.ok },
      samples,
    };
  } finally {
    await plane.stop();
    await fixture.cleanup();
    await ingest.close();
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
    `| audit events recorded / stored, chains | ${report.audit.recorded} / ${report.audit.stored}, ${report.audit.chains} ${report.audit.chainsOk ? "verify" : "BROKEN"} | equal, verify |`,
    "",
    "## Samples",
    "",
    "| t (s) | RSS (MiB) | fds | ok | failed |",
    "| --- | --- | --- | --- | --- |",
    ...report.samples.map((s) => `| ${s.atS} | ${s.rssMiB} | ${s.fds} | ${s.ok} | ${s.failed} |`),
    "",
  ].join("\n");
  writeFileSync(`${base}.md`, md);
  return `${base}.md`;
}

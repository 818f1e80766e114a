// Load + soak: a fixed request rate of MCP tools/call (API-key auth on every
// request, the enforcement the data plane has today) against a real data plane,
// sampling its RSS and open file descriptors, checked against stated bounds.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { reportsDir } from "./figures.ts";
import { startLoad } from "./load.ts";
import { openFds, rssBytes } from "./proc-stats.ts";
import { signedPlane, waitForUpstream } from "./signed-plane.ts";

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
  samples: SoakSample[];
};

const MiB = 1024 * 1024;
const round = (n: number) => Math.round(n * 10) / 10;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const fixture = await signedPlane();
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
    const violations: string[] = [];
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
      samples,
    };
  } finally {
    await plane.stop();
    await fixture.cleanup();
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
    `Started ${report.startedAt}; ${report.durationS} s at ${report.ratePerSecond} req/s of MCP tools/call (SDK client, API-key auth) against one data plane with one stdio upstream.`,
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

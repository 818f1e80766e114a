import { describe, expect, it } from "vitest";
import { recordFigures } from "./harness/figures.ts";
import { runSoak, SOAK_BOUNDS, writeSoakReport } from "./harness/soak.ts";

// The 30-second version of `npm run soak` (the 10-minute one is a release check).
describe("short soak (all enforcement on: auth, policy, rate limits, audit)", () => {
  it("holds a fixed rate with no error, no growth of memory or open handles beyond the bounds, every audit event stored", async () => {
    const durationS = Number(process.env.CHAOS_SOAK_S ?? 30);
    const report = await runSoak({
      durationMs: durationS * 1000,
      ratePerSecond: 25,
      label: "short",
      sampleEveryMs: 2000,
    });
    writeSoakReport(report);
    recordFigures({
      "duration (s) / rate": `${report.durationS} / ${report.ratePerSecond} req/s`,
      "ok / failed": `${report.ok} / ${report.failed}`,
      "p50 / p99 (ms)": `${report.p50Ms} / ${report.p99Ms}`,
      "RSS growth after warm-up (MiB)": report.rssMiB.growth,
      "fd growth after warm-up": report.fds.growth,
      "heap (after GC) growth after warm-up (MiB)": report.heapMiB.growth,
      "active handles growth after warm-up": report.handles.growth,
      "enforcement checks": `${report.enforcement.observed.length - report.enforcement.failures.length} / ${report.enforcement.observed.length} as expected`,
      "audit recorded / stored (chains verify)": `${report.audit.recorded} / ${report.audit.stored} (${report.audit.chainsOk})`,
    });
    expect(report.failed).toBeLessThanOrEqual(SOAK_BOUNDS.maxErrors);
    expect(report.violations).toEqual([]);
    expect(report.enforcement.failures).toEqual([]);
    expect(report.ok).toBeGreaterThan(0);
    expect(report.audit.stored).toBe(report.audit.recorded);
    expect(report.audit.recorded).toBeGreaterThanOrEqual(report.ok);
    expect(report.audit.chainsOk).toBe(true);
  });
});

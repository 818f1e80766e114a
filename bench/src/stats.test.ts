import { describe, expect, it } from "vitest";
import { figure, percentile, spreadPercent } from "./stats.ts";

describe("figures from repeated runs", () => {
  it("takes the median and keeps the range, leaving failed (NaN) runs out", () => {
    const f = figure([30, 10, Number.NaN, 20]);
    expect(f).toEqual({ median: 20, min: 10, max: 30, runs: 3 });
    expect(spreadPercent(f)).toBe(50);
  });

  it("reports NaN with zero runs when nothing ran", () => {
    expect(figure([]).runs).toBe(0);
    expect(Number.isNaN(figure([Number.NaN]).median)).toBe(true);
  });

  it("reads percentiles from sorted samples", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(51);
    expect(percentile(sorted, 0.99)).toBe(100);
    expect(Number.isNaN(percentile([], 0.5))).toBe(true);
  });
});

/** A figure from repeated runs: the median and the range it came from. */
export type Figure = { median: number; min: number; max: number; runs: number };

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Median of repeated runs with its spread (min..max); NaN values (failed runs) are left out. */
export function figure(values: readonly number[]): Figure {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: 0 };
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), runs: finite.length };
}

/** Spread as ± percent of the median: half the range over the median. */
export function spreadPercent(f: Figure): number {
  return f.median === 0 ? 0 : ((f.max - f.min) / 2 / Math.abs(f.median)) * 100;
}

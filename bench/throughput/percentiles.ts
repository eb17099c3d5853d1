/** A distribution of durations (ms): NaN throughout when there were none. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentiles and the mean of `values`. */
export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, mean: Number.NaN };
  const sorted = [...values].sort((left, right) => left - right);
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)]!;
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

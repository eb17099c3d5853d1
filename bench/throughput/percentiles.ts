import { mean, quantile } from 'simple-statistics';

/** A distribution of durations (ms): NaN throughout when there were none. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** The 50th, 95th and 99th percentiles and the mean of `values`. */
export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, mean: Number.NaN };
  const [p50, p95, p99] = quantile(values, [0.5, 0.95, 0.99]);
  return { p50: p50!, p95: p95!, p99: p99!, mean: mean(values) };
}

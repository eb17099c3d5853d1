/** The logistic function 1 / (1 + exp(-z)), written so exp never overflows. */
export function logistic(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const exponential = Math.exp(z);
  return exponential / (1 + exponential);
}

/** log(1 + exp(z)), written so exp never overflows: -log(logistic(-z)). */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

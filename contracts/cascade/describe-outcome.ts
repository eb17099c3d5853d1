import type { CascadeOutcome } from './cascade-result';

/**
 * The one line the Web UI shows for a cascade, for example
 * `support-faq · escalated (schema_invalid) · $0.0031`.
 */
export function describeOutcome(options: {
  route: string;
  outcome: CascadeOutcome;
  reason?: string;
  costUsd: number;
}): string {
  const outcome = options.reason ? `${options.outcome} (${options.reason})` : options.outcome;
  return `${options.route} · ${outcome} · ${formatUsd(options.costUsd)}`;
}

/** Dollars with four decimals, or two significant digits below a hundredth of a cent. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 0.0001) return `$${usd.toFixed(4)}`;
  return `$${usd.toPrecision(2)}`;
}

import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import { TuningError } from './tuning-error';

/**
 * Exact (Clopper–Pearson) one-sided upper confidence bound on a binomial proportion: the largest rate
 * `p` for which seeing `events` or fewer in `trials` still has probability at least `alpha`. With
 * probability at least `1 - alpha` over the draw of the trials, the true rate is at or below it,
 * whatever that rate is: no assumption beyond independent rows from one population.
 *
 * Zero events in `n` trials give `1 - alpha^(1/n)` (about 3/n at alpha 0.05).
 *
 * @throws TuningError for counts that are not whole numbers with `0 <= events <= trials`, or an alpha
 *   outside (0, 1).
 */
export function clopperPearsonUpper(options: { events: number; trials: number; alpha: number }): number {
  const { events, trials, alpha } = checked(options);
  if (trials === 0 || events === trials) return 1;
  return betaQuantile(1 - alpha, events + 1, trials - events);
}

/** The exact one-sided lower bound, the mirror of `clopperPearsonUpper`: 0 for zero events. */
export function clopperPearsonLower(options: { events: number; trials: number; alpha: number }): number {
  const { events, trials, alpha } = checked(options);
  if (trials === 0 || events === 0) return 0;
  return betaQuantile(alpha, events, trials - events + 1);
}

/**
 * The fewest rows at which a rate like `observedRate` would be certified at or below `bound` by
 * `clopperPearsonUpper` (with `round(observedRate × rows)` events), or `undefined` when no number of
 * rows can do it (an observed rate at or above the bound). Searched up to ten million rows.
 */
export function rowsToCertify(options: { observedRate: number; bound: number; alpha: number }): number | undefined {
  const { observedRate, bound, alpha } = options;
  if (!(observedRate >= 0 && observedRate < bound && bound <= 1)) return undefined;
  const certifies = (rows: number) =>
    clopperPearsonUpper({ events: Math.round(observedRate * rows), trials: rows, alpha }) <= bound;
  const limit = 10_000_000;
  let high = 1;
  while (!certifies(high)) {
    if (high >= limit) return undefined;
    high = Math.min(limit, high * 2);
  }
  // The bound falls with more rows at a fixed rate (up to rounding of the event count): bisect.
  let low = Math.floor(high / 2);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (certifies(middle)) high = middle;
    else low = middle;
  }
  return high;
}

function checked(options: { events: number; trials: number; alpha: number }) {
  const { events, trials, alpha } = options;
  if (!Number.isInteger(trials) || trials < 0)
    throw new TuningError({ message: `trials must be a whole number of at least 0, got ${String(trials)}` });
  if (!Number.isInteger(events) || events < 0 || events > trials)
    throw new TuningError({
      message: `events must be a whole number from 0 to trials (${trials}), got ${String(events)}`,
    });
  if (!(alpha > 0 && alpha < 1))
    throw new TuningError({ message: `alpha must be strictly between 0 and 1, got ${String(alpha)}` });
  return options;
}

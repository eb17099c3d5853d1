import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** A proportion and its confidence interval, all as fractions from 0 to 1. Plain JSON. */
export interface WilsonInterval {
  /** The observed proportion, `successes / trials`; 0 when there are no trials. */
  estimate: number;
  /** The interval's lower bound. */
  lower: number;
  /** The interval's upper bound. */
  upper: number;
}

/**
 * The Wilson score interval for a binomial proportion (Wilson, 1927): unlike the normal approximation it
 * stays inside [0, 1] and keeps a sensible width at 0 or `trials` successes, which small evaluation sets hit
 * often. With no trials the interval is the uninformative [0, 1] and the estimate is 0.
 *
 * @param successes how many trials succeeded (an integer from 0 to `trials`)
 * @param trials how many trials there were (a non-negative integer)
 * @param confidence the two-sided coverage, strictly between 0 and 1. @default 0.95
 * @throws RangeError naming the bad argument.
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): WilsonInterval {
  if (!Number.isInteger(trials) || trials < 0) {
    throw new RangeError(`wilsonInterval: trials must be a non-negative integer, got ${trials}`);
  }
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`wilsonInterval: successes must be an integer from 0 to trials (${trials}), got ${successes}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`wilsonInterval: confidence must be strictly between 0 and 1, got ${confidence}`);
  }
  if (trials === 0) return { estimate: 0, lower: 0, upper: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2, 0, 1);
  const proportion = successes / trials;
  const zSquaredOverTrials = (z * z) / trials;
  const denominator = 1 + zSquaredOverTrials;
  const centre = (proportion + zSquaredOverTrials / 2) / denominator;
  const halfWidth =
    (z / denominator) * Math.sqrt((proportion * (1 - proportion)) / trials + zSquaredOverTrials / (4 * trials));
  // At 0 or `trials` successes the bound is exactly 0 or 1; rounding would leave it a hair off.
  return {
    estimate: proportion,
    lower: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: successes === trials ? 1 : Math.min(1, centre + halfWidth),
  };
}

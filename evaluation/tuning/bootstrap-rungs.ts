import { quantileSorted } from 'simple-statistics';
import { seededRandom } from './seeded-random';

/**
 * Resamples `rows` rows with replacement `resamples` times and, per rung, returns the `confidence`
 * quantile of what `measure` gives for each resample (one value per rung, from the resample's case
 * weights): a one-sided percentile upper bound of each rung's figure.
 */
export function bootstrapUpperBounds(options: {
  rows: number;
  rungs: number;
  resamples: number;
  confidence: number;
  seed: number;
  measure: (weights: Int32Array) => Float64Array;
}): number[] {
  const { rows, rungs, resamples, confidence, measure } = options;
  const random = seededRandom(options.seed);
  const draws: Float64Array[] = Array.from({ length: rungs }, () => new Float64Array(resamples));
  const weights = new Int32Array(rows);
  for (let resample = 0; resample < resamples; resample += 1) {
    weights.fill(0);
    for (let draw = 0; draw < rows; draw += 1) weights[random.index(rows)]! += 1;
    const values = measure(weights);
    for (let rung = 0; rung < rungs; rung += 1) draws[rung]![resample] = values[rung]!;
  }
  return draws.map((values) => quantileSorted(Array.from(values.sort()), confidence));
}

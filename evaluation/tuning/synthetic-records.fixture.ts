import type { EvaluationRecord } from '../analysis/evaluation-record';
import { seededRandom } from './seeded-random';

/** Options of `syntheticRecords`: a population whose truth is known. */
export interface SyntheticPopulation {
  rows: number;
  seed: number;
  /** Chance the flagship is right, independent of the score. @default 0.9 */
  flagshipAccuracy?: number;
  /** Chance a row passes the deterministic checks. @default 0.97 */
  deterministicPassRate?: number;
  /** Chance a row carries no signal (its score is then 0). @default 0 */
  missingSignalRate?: number;
  /** Subsets, assigned in turn with uneven weights. @default ['math', 'trivia'] */
  subsets?: readonly string[];
}

/**
 * Rows where the score is uniform on [0, 1] and the cheap model is right with probability equal to the
 * score (the score is perfectly calibrated). The signal is `log(score)`, so a calibration fitted on it
 * can recover the score. Costs: cheap $0.001, gate $0, flagship $0.01 (so $1 + $10 × escalation rate per 1k).
 */
export function syntheticRecords(population: SyntheticPopulation): EvaluationRecord[] {
  const random = seededRandom(population.seed);
  const flagshipAccuracy = population.flagshipAccuracy ?? 0.9;
  const deterministicPassRate = population.deterministicPassRate ?? 0.97;
  const missingSignalRate = population.missingSignalRate ?? 0;
  const subsets = population.subsets ?? ['math', 'trivia'];
  return Array.from({ length: population.rows }, (_, index) => {
    const score = random.fraction();
    const hasSignal = random.fraction() >= missingSignalRate;
    // Two thirds of rows go to the first subset, so stratification has something to do.
    const subset =
      subsets[random.fraction() < 2 / 3 ? 0 : 1 + (index % Math.max(1, subsets.length - 1))] ?? subsets[0]!;
    return {
      id: `row-${index}`,
      subset,
      cheapCorrect: random.fraction() < score,
      flagshipCorrect: random.fraction() < flagshipAccuracy,
      signal: hasSignal ? Math.log(Math.max(score, Number.MIN_VALUE)) : undefined,
      score: hasSignal ? score : 0,
      deterministicPass: random.fraction() < deterministicPassRate,
      cheapCostUsd: 0.001,
      gateCostUsd: 0,
      flagshipCostUsd: 0.01,
    };
  });
}

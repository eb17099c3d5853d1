import type { EvaluationRecord } from '../analysis/evaluation-record';
import { seededRandom } from './seeded-random';

/**
 * A population whose truth is known: the signal is uniform on [0, 1], a row is *harmed* (cheap wrong,
 * flagship right) with probability `harmAt(signal)`, and otherwise both models agree (right with
 * probability 0.8). So the loss against the flagship of accepting every row at or above `t` is exactly
 * the integral of `harmAt` over [t, 1].
 */
export interface KnownPopulation {
  harmAt: (signal: number) => number;
}

/** Rows drawn from the population; costs cheap $0.001, flagship $0.01. */
export function drawRows(population: KnownPopulation, options: { rows: number; seed: number }): EvaluationRecord[] {
  const random = seededRandom(options.seed);
  return Array.from({ length: options.rows }, (_, index) => {
    const signal = random.fraction();
    const harmed = random.fraction() < population.harmAt(signal);
    const agreeRight = random.fraction() < 0.8;
    return {
      id: `row-${index}`,
      subset: 'synthetic',
      cheapCorrect: harmed ? false : agreeRight,
      flagshipCorrect: harmed ? true : agreeRight,
      signal,
      score: signal,
      deterministicPass: true,
      cheapCostUsd: 0.001,
      gateCostUsd: 0,
      flagshipCostUsd: 0.01,
    };
  });
}

/** The population's true loss against the flagship when every row with signal ≥ `threshold` is accepted (midpoint rule). */
export function trueLoss(population: KnownPopulation, threshold: number): number {
  const low = Math.max(0, Math.min(1, threshold));
  const steps = 4000;
  let total = 0;
  for (let step = 0; step < steps; step += 1) total += population.harmAt(low + ((1 - low) * (step + 0.5)) / steps);
  return (total * (1 - low)) / steps;
}

export function logistic(intercept: number, slope: number): KnownPopulation {
  return { harmAt: (signal) => 1 / (1 + Math.exp(-(intercept + slope * signal))) };
}

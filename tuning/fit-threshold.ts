import { cascadeAtThreshold } from '../analysis/cascade-at-threshold';
import type { EvaluationRecord } from '../analysis/evaluation-record';
import { thresholdSweep } from '../analysis/threshold-sweep';
import { bootstrapThresholdFigures, type ResampleFigures } from './bootstrap-threshold-figures';
import { seededRandom } from './seeded-random';
import { TuningError } from './tuning-error';
import { assertValidObjective, describeObjective, objectiveMargin, type TuningObjective } from './tuning-objective';

/** Options of `fitThreshold`. */
export interface FitThresholdOptions {
  /** Labelled rows to fit on (at least one). */
  records: readonly EvaluationRecord[];
  objective: TuningObjective;
  /**
   * How sure the fit must be that the objective holds on new rows like these: the share of bootstrap
   * resamples in which the threshold meets it. Strictly between 0 and 1.
   * @default 0.95
   */
  confidence?: number;
  /** Bootstrap resamples of the rows (an integer of at least 10). @default 1000 */
  bootstrapSamples?: number;
  /** Seed of the resampling, so a fit can be reproduced (an integer). */
  seed: number;
}

/** The cascade's figures at the chosen threshold on the rows it was fitted on (optimistic). Plain JSON. */
export interface FittedFigures {
  accuracy: number;
  costPer1kUsd: number;
  escalationRate: number;
}

/** A fitted threshold and how sure the fit is. Plain JSON. */
export interface ThresholdFit {
  /** The gate threshold to use. May be just above 1 when every row must escalate and a score is 1. */
  threshold: number;
  /** Whether the objective is met at the stated confidence; when not, `threshold` is the safest one. */
  feasible: boolean;
  /** Why the objective could not be met; present only when `feasible` is false. */
  reason?: string;
  fitted: FittedFigures;
  /** Share of bootstrap resamples in which `threshold` meets the objective (0 to 1). */
  assurance: number;
}

/**
 * Fits the gate threshold for an objective so that it holds on new rows, not only on these.
 *
 * The candidates are the sweep's thresholds (every distinct passing score, 0, and one above all). A seeded
 * bootstrap over rows estimates, for each candidate, the share of resamples meeting the objective; a
 * candidate is good when that share reaches `confidence` (the one-sided percentile bound clears the
 * objective). The bootstrap rather than a Wilson bound because cost is a sum of unequal costs and
 * retention a difference of two correlated accuracies, neither a binomial proportion.
 *
 * - `target-accuracy`, `target-quality-retention`: candidates are tested from the highest threshold
 *   (everything escalates) down, stopping at the first that fails; the last good one, the cheapest, is
 *   chosen. Testing in a fixed order and stopping at the first failure (fixed-sequence testing) keeps
 *   the chance that the chosen threshold misses at about 1 − confidence despite the many candidates;
 *   taking the cheapest good one anywhere would let noise pick a threshold below the true one.
 * - `max-cost-per-1k`: cost never falls as the threshold rises, so the good candidates are the lowest
 *   ones; among them the most accurate on the fit rows (ties to the cheaper) is chosen.
 *
 * When no candidate is good, the safest is returned with `feasible: false`: everything escalates for
 * accuracy objectives, nothing beyond the deterministic failures for the cost cap.
 *
 * @throws TuningError naming the bad option.
 */
export function fitThreshold(options: FitThresholdOptions): ThresholdFit {
  const { records, objective, seed } = options;
  const confidence = options.confidence ?? 0.95;
  const bootstrapSamples = options.bootstrapSamples ?? 1000;
  assertValidFitOptions({ records, confidence, bootstrapSamples, seed });
  assertValidObjective(objective);

  const thresholds = thresholdSweep(records, { points: records.length + 2 }).map((row) => row.threshold);
  const resamples = bootstrapThresholdFigures({ records, thresholds, samples: bootstrapSamples, random: seededRandom(seed) });
  const assuranceAt = (index: number): number => shareMeeting(objective, resamples, index);

  const chosen = objective.kind === 'max-cost-per-1k' ? chooseUnderCostCap(records, thresholds, assuranceAt, confidence) : chooseCheapestMeeting(thresholds, assuranceAt, confidence);
  const threshold = thresholds[chosen.index]!;
  const outcome = cascadeAtThreshold(records, threshold);
  const assurance = assuranceAt(chosen.index);
  const fit: ThresholdFit = {
    threshold,
    feasible: chosen.feasible,
    fitted: { accuracy: outcome.accuracy, costPer1kUsd: outcome.costPer1kUsd, escalationRate: outcome.escalationRate },
    assurance,
  };
  if (!chosen.feasible) fit.reason = infeasibleReason(objective, confidence, records.length, assurance);
  return fit;
}

function chooseCheapestMeeting(thresholds: readonly number[], assuranceAt: (index: number) => number, confidence: number): { index: number; feasible: boolean } {
  const safest = thresholds.length - 1;
  let cheapestGood = -1;
  for (let index = safest; index >= 0 && assuranceAt(index) >= confidence; index -= 1) cheapestGood = index;
  return cheapestGood < 0 ? { index: safest, feasible: false } : { index: cheapestGood, feasible: true };
}

function chooseUnderCostCap(
  records: readonly EvaluationRecord[],
  thresholds: readonly number[],
  assuranceAt: (index: number) => number,
  confidence: number,
): { index: number; feasible: boolean } {
  let best = -1;
  let bestAccuracy = -Infinity;
  for (let index = 0; index < thresholds.length && assuranceAt(index) >= confidence; index += 1) {
    const accuracy = cascadeAtThreshold(records, thresholds[index]!).accuracy;
    if (accuracy > bestAccuracy) {
      best = index;
      bestAccuracy = accuracy;
    }
  }
  return best < 0 ? { index: 0, feasible: false } : { index: best, feasible: true };
}

function shareMeeting(objective: TuningObjective, resamples: readonly ResampleFigures[], index: number): number {
  let meeting = 0;
  for (const resample of resamples) {
    const figures = { accuracy: resample.accuracy[index]!, costPer1kUsd: resample.costPer1kUsd[index]!, flagshipAccuracy: resample.flagshipAccuracy };
    if (objectiveMargin(objective, figures) >= 0) meeting += 1;
  }
  return meeting / resamples.length;
}

function infeasibleReason(objective: TuningObjective, confidence: number, rows: number, assurance: number): string {
  const fallback = objective.kind === 'max-cost-per-1k' ? 'escalating only the rows that fail the deterministic checks' : 'escalating every row';
  return (
    `no threshold meets ${describeObjective(objective)} with ${(confidence * 100).toFixed(0)}% confidence on ${rows} rows; ` +
    `falling back to the safest threshold, ${fallback}, which meets it in ${(assurance * 100).toFixed(1)}% of bootstrap resamples`
  );
}

function assertValidFitOptions(options: { records: readonly EvaluationRecord[]; confidence: number; bootstrapSamples: number; seed: number }): void {
  if (!Array.isArray(options.records) || options.records.length === 0) {
    throw new TuningError('fitThreshold: records must be a non-empty array of evaluation records');
  }
  if (!(options.confidence > 0 && options.confidence < 1)) {
    throw new TuningError(`fitThreshold: confidence must be strictly between 0 and 1, got ${String(options.confidence)}`);
  }
  if (!Number.isInteger(options.bootstrapSamples) || options.bootstrapSamples < 10) {
    throw new TuningError(`fitThreshold: bootstrapSamples must be an integer of at least 10, got ${String(options.bootstrapSamples)}`);
  }
  if (!Number.isInteger(options.seed)) {
    throw new TuningError(`fitThreshold: seed must be an integer, got ${String(options.seed)}`);
  }
}

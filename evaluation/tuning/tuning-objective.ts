import { TuningError } from './tuning-error';
import { percent } from './format-figures';

/** Reach at least this cascade accuracy (a fraction from 0 to 1). */
export interface TargetAccuracyObjective {
  kind: 'target-accuracy';
  accuracy: number;
}

/** Cost at most this many US dollars per 1,000 requests, and be as accurate as that allows. */
export interface MaxCostPer1kObjective {
  kind: 'max-cost-per-1k';
  usd: number;
}

/** Keep at least this share of the flagship-only accuracy (0.99: cascade accuracy ≥ 0.99 × flagship's). */
export interface TargetQualityRetentionObjective {
  kind: 'target-quality-retention';
  retention: number;
}

/** Lose at most this many points of accuracy against the flagship alone (0.5: half a point). */
export interface MaxAccuracyLossObjective {
  kind: 'max-accuracy-loss';
  points: number;
}

/** What a threshold is tuned for. Plain JSON. */
export type TuningObjective =
  TargetAccuracyObjective | MaxCostPer1kObjective | TargetQualityRetentionObjective | MaxAccuracyLossObjective;

/** Whether an objective bounds accuracy (the guarantee is about quality) rather than cost. */
export function isAccuracyObjective(objective: TuningObjective): boolean {
  return objective.kind !== 'max-cost-per-1k';
}

/** The figures an objective is judged on. */
export interface ObjectiveFigures {
  accuracy: number;
  costPer1kUsd: number;
  /** The flagship-only accuracy on the same rows (used by the retention objective). */
  flagshipAccuracy: number;
}

/** Throws a `TuningError` naming the bad field of `objective`. */
export function assertValidObjective(objective: TuningObjective): void {
  switch (objective.kind) {
    case 'target-accuracy':
      if (!(objective.accuracy > 0 && objective.accuracy <= 1)) {
        throw new TuningError({
          message: `objective.accuracy must be a fraction in (0, 1], got ${String(objective.accuracy)}`,
        });
      }
      return;
    case 'max-cost-per-1k':
      if (!(Number.isFinite(objective.usd) && objective.usd > 0)) {
        throw new TuningError({
          message: `objective.usd must be a positive finite number, got ${String(objective.usd)}`,
        });
      }
      return;
    case 'target-quality-retention':
      if (!(objective.retention > 0 && objective.retention <= 1)) {
        throw new TuningError({
          message: `objective.retention must be a fraction in (0, 1], got ${String(objective.retention)}`,
        });
      }
      return;
    case 'max-accuracy-loss':
      if (!(Number.isFinite(objective.points) && objective.points >= 0 && objective.points < 100)) {
        throw new TuningError({
          message: `objective.points must be a number of accuracy points from 0 to below 100, got ${String(objective.points)}`,
        });
      }
      return;
    default:
      throw new TuningError({
        message: `unknown objective kind ${JSON.stringify((objective as { kind?: unknown }).kind)}`,
      });
  }
}

// Accuracies are ratios of counts: a target met exactly must not fail on the last bit.
const roundingTolerance = 1e-12;

/**
 * How far the figures clear the objective: at least 0 when it is met. Accuracy objectives measure in
 * accuracy, the cost objective in US dollars per 1,000 requests.
 */
export function objectiveMargin(objective: TuningObjective, figures: ObjectiveFigures): number {
  switch (objective.kind) {
    case 'target-accuracy':
      return figures.accuracy - objective.accuracy + roundingTolerance;
    case 'max-cost-per-1k':
      return objective.usd - figures.costPer1kUsd + roundingTolerance;
    case 'target-quality-retention':
      return figures.accuracy - objective.retention * figures.flagshipAccuracy + roundingTolerance;
    case 'max-accuracy-loss':
      return figures.accuracy - (figures.flagshipAccuracy - objective.points / 100) + roundingTolerance;
  }
}

/** The objective in words, for reports: `accuracy ≥ 90.0%`. */
export function describeObjective(objective: TuningObjective): string {
  switch (objective.kind) {
    case 'target-accuracy':
      return `accuracy ≥ ${percent(objective.accuracy)}`;
    case 'max-cost-per-1k':
      return `cost ≤ $${objective.usd} per 1k requests`;
    case 'target-quality-retention':
      return `accuracy ≥ ${percent(objective.retention)} of the flagship's`;
    case 'max-accuracy-loss':
      return `at most ${objective.points} ${objective.points === 1 ? 'point' : 'points'} of accuracy lost against the flagship`;
  }
}

/** The objective with its confidence and how it is certified: `accuracy ≥ 90.0%, at 95.0% confidence (exact)`. */
export function describeObjectiveAt(
  objective: TuningObjective,
  options: { confidence: number; method: string },
): string {
  return `${describeObjective(objective)}, at ${percent(options.confidence)} confidence (${options.method})`;
}

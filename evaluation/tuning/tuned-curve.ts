import { areaUnderCostAccuracyCurve } from '../analysis/area-under-cost-accuracy-curve';
import { breakEven } from '../analysis/break-even';
import type { CascadeVerdict } from './cascade-verdict';
import { crossValidate, type CrossValidateOptions } from './cross-validate';
import type { QualityMethod } from './tune-once';

/** Loss targets, in points against the flagship, that the curve of the tuned procedure is drawn through. */
export const defaultCurveTargets: readonly number[] = [0.25, 0.5, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 30, 50];

/** One point of the tuned curve: the procedure tuned for `points` of loss, scored on held-out rows. Plain JSON. */
export interface TunedCurvePoint {
  targetLossPoints: number;
  costPer1kUsd: number;
  accuracy: number;
  escalationRate: number;
  /** Held-out accuracy minus flagship-only accuracy, in points. */
  accuracyGapPoints: number;
  verdicts: Partial<Record<CascadeVerdict, number>>;
}

/** The cost-against-accuracy curve of the tuned procedure, cross-validated. Plain JSON. */
export interface TunedCurve {
  method: QualityMethod;
  confidence: number;
  folds: number;
  points: TunedCurvePoint[];
  cheapOnly: { costPer1kUsd: number; accuracy: number };
  flagshipOnly: { costPer1kUsd: number; accuracy: number };
  /**
   * Normalised area under the error-against-cost curve between the cheap-only and flagship-only costs (lower
   * is better), of the tuned points with the two single-model strategies as anchors.
   */
  area: number;
  /** The escalation rate above which the cascade costs more than the flagship alone, on these rows. */
  breakEvenEscalationRate: number | null;
}

/**
 * Tunes the procedure for each loss target on the fitting folds and scores it on the held-out fold: what a
 * team gets at each target on rows the tuning never saw, rather than what the signal could do in hindsight.
 */
export function tunedCurve(
  options: Omit<CrossValidateOptions, 'objectives'> & {
    /** @default defaultCurveTargets */ targets?: readonly number[];
  },
): TunedCurve {
  const targets = options.targets ?? defaultCurveTargets;
  const validations = crossValidate({
    ...options,
    objectives: targets.map((points) => ({ kind: 'max-accuracy-loss' as const, points })),
  });
  const points = validations.map((validation, index) => ({
    targetLossPoints: targets[index]!,
    costPer1kUsd: validation.pooled.costPer1kUsd,
    accuracy: validation.pooled.accuracy,
    escalationRate: validation.pooled.escalationRate,
    accuracyGapPoints: validation.pooled.accuracyGapPoints,
    verdicts: validation.verdicts,
  }));
  const pooled = validations[0]!.pooled;
  const cheapOnly = { costPer1kUsd: pooled.cheapCostPer1kUsd, accuracy: pooled.cheapAccuracy };
  const flagshipOnly = { costPer1kUsd: pooled.flagshipCostPer1kUsd, accuracy: pooled.flagshipAccuracy };
  const low = Math.min(cheapOnly.costPer1kUsd, flagshipOnly.costPer1kUsd);
  const high = Math.max(cheapOnly.costPer1kUsd, flagshipOnly.costPer1kUsd);
  const area = areaUnderCostAccuracyCurve([cheapOnly, flagshipOnly, ...points], { costBounds: [low, high] });
  return {
    method: options.method,
    confidence: options.confidence,
    folds: options.folds,
    points,
    cheapOnly,
    flagshipOnly,
    area,
    breakEvenEscalationRate: breakEven(options.records).escalationRate,
  };
}

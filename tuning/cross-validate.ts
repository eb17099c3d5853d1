import { cascadeAtThreshold, strategyFigures } from '../analysis/cascade-at-threshold';
import type { EvaluationRecord } from '../analysis/evaluation-record';
import type { CalibrationMethod } from '../calibration/fit-calibration';
import type { Calibration } from '../common/gate-spec';
import { fitThreshold } from './fit-threshold';
import { fitRecordCalibration, recalibrateRecords } from './recalibrate-records';
import { stratifiedFolds } from './stratified-folds';
import { meetsObjective, type TuningObjective } from './tuning-objective';

/** Options of `crossValidate`. */
export interface CrossValidateOptions {
  records: readonly EvaluationRecord[];
  objective: TuningObjective;
  /** Folds (an integer from 2 to the number of records). @default 5 */
  folds?: number;
  /** Seed of the fold assignment and of each fold's bootstrap (an integer). */
  seed: number;
  /** Refit this calibration on each training fold and rescore both sides from `signal`; without it, `score` is used as is. */
  calibrate?: CalibrationMethod;
  /** Passed to `fitThreshold`. @default 0.95 */
  confidence?: number;
  /** Passed to `fitThreshold`. @default 1000 */
  bootstrapSamples?: number;
}

/** The cascade's figures on rows the fitted model never saw. Plain JSON. */
export interface HeldOutFigures {
  rows: number;
  accuracy: number;
  costPer1kUsd: number;
  escalationRate: number;
  /** Flagship-only accuracy on the same rows. */
  flagshipAccuracy: number;
  /** Whether these figures meet the objective (retention against `flagshipAccuracy`). */
  objectiveMet: boolean;
}

/** One fold: what was fitted on the other folds and how it did on this one. Plain JSON. */
export interface FoldResult {
  fold: number;
  /** Ids of the rows evaluated in this fold; the rows fitted on are all the others. */
  heldOutIds: string[];
  trainingRows: number;
  calibration?: Calibration;
  threshold: number;
  /** Whether the threshold fit on the training rows was feasible. */
  feasible: boolean;
  /** Bootstrap assurance of the threshold on the training rows. */
  assurance: number;
  heldOut: HeldOutFigures;
}

/** A cross-validated estimate of how a tuning does on new rows. Plain JSON. */
export interface CrossValidation {
  folds: FoldResult[];
  /** Every row evaluated once, by the model of the fold that held it out. */
  pooled: HeldOutFigures;
  /** Share of folds whose held-out figures meet the objective. */
  foldsMeetingObjective: number;
}

/**
 * K-fold cross-validation of the whole tuning (calibration when asked, then threshold): each fold is
 * tuned on the other folds only and evaluated on itself. Folds are stratified by `subset` and fixed by
 * `seed`. The pooled figures add up every fold's held-out counts and costs, so no reported number mixes
 * a row with a model fitted on it.
 *
 * @throws TuningError for bad options; CalibrationError when a training fold cannot be calibrated.
 */
export function crossValidate(options: CrossValidateOptions): CrossValidation {
  const { records, objective, seed, calibrate } = options;
  const foldCount = options.folds ?? 5;
  const foldOf = stratifiedFolds({ records, folds: foldCount, seed });
  const folds: FoldResult[] = [];
  let correct = 0;
  let flagshipCorrect = 0;
  let escalated = 0;
  let costUsd = 0;
  for (let fold = 0; fold < foldCount; fold += 1) {
    const training = records.filter((_, position) => foldOf[position] !== fold);
    const heldOut = records.filter((_, position) => foldOf[position] === fold);
    const calibration = calibrate === undefined ? undefined : fitRecordCalibration(calibrate, training);
    const scoredTraining = calibration === undefined ? training : recalibrateRecords(training, calibration);
    const scoredHeldOut = calibration === undefined ? heldOut : recalibrateRecords(heldOut, calibration);
    const fit = fitThreshold({ records: scoredTraining, objective, seed, confidence: options.confidence, bootstrapSamples: options.bootstrapSamples });
    const outcome = cascadeAtThreshold(scoredHeldOut, fit.threshold);
    const foldFlagshipCorrect = strategyFigures(heldOut).flagshipOnly.correct;
    correct += outcome.correct;
    flagshipCorrect += foldFlagshipCorrect;
    escalated += outcome.escalated;
    costUsd += outcome.costUsd;
    const result: FoldResult = {
      fold,
      heldOutIds: heldOut.map((record) => record.id),
      trainingRows: training.length,
      threshold: fit.threshold,
      feasible: fit.feasible,
      assurance: fit.assurance,
      heldOut: {
        rows: heldOut.length,
        accuracy: outcome.accuracy,
        costPer1kUsd: outcome.costPer1kUsd,
        escalationRate: outcome.escalationRate,
        flagshipAccuracy: foldFlagshipCorrect / heldOut.length,
        objectiveMet: meetsObjective(objective, outcome, heldOut),
      },
    };
    if (calibration !== undefined) result.calibration = calibration;
    folds.push(result);
  }
  const rows = records.length;
  const pooledOutcome = { accuracy: correct / rows, costPer1kUsd: (costUsd / rows) * 1000 };
  return {
    folds,
    pooled: {
      rows,
      ...pooledOutcome,
      escalationRate: escalated / rows,
      flagshipAccuracy: flagshipCorrect / rows,
      objectiveMet: meetsObjective(objective, pooledOutcome, records),
    },
    foldsMeetingObjective: folds.filter((fold) => fold.heldOut.objectiveMet).length / foldCount,
  };
}

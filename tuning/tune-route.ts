import type { EvaluationRecord } from '../analysis/evaluation-record';
import type { CalibrationMethod } from '../calibration/fit-calibration';
import type { Calibration } from '../common/gate-spec';
import { crossValidate, type CrossValidation } from './cross-validate';
import { fitThreshold, type FittedFigures } from './fit-threshold';
import { fitRecordCalibration, recalibrateRecords } from './recalibrate-records';
import { describeObjective, type TuningObjective } from './tuning-objective';

export { applyTuningToGate, type GateTuning } from './apply-tuning-to-gate';

/** Options of `tuneRoute`. */
export interface TuneRouteOptions {
  records: readonly EvaluationRecord[];
  objective: TuningObjective;
  /** Fit this calibration on the rows' `signal` and rescore them before fitting the threshold. */
  calibrate?: CalibrationMethod;
  /** How sure the threshold fit must be. @default 0.95 */
  confidence?: number;
  /** Cross-validation folds. @default 5 */
  folds?: number;
  /** Bootstrap resamples per threshold fit. @default 1000 */
  bootstrapSamples?: number;
  /** Seed of every random draw, so the tuning can be reproduced (an integer). */
  seed: number;
}

/** A route's tuning: what to write into the route, and what to expect of it on new rows. Plain JSON. */
export interface RouteTuning {
  /** The calibration fitted on all rows, when `calibrate` was set. */
  calibration?: Calibration;
  /** The threshold fitted on all rows. */
  threshold: number;
  feasible: boolean;
  reason?: string;
  /** Figures on the rows the tuning was fitted on: optimistic, shown for comparison only. */
  fittedOnAll: FittedFigures;
  /** The estimate of how the same procedure does on rows it never saw: the figures to report. */
  crossValidated: CrossValidation;
  /** Share of bootstrap resamples of all rows in which `threshold` meets the objective. */
  assurance: number;
  /** A few lines for a person to read. */
  summaryLines: string[];
}

/**
 * Tunes a route: the calibration (when asked) and the threshold are fitted on all rows — that is what goes
 * into the route — and the same procedure is cross-validated to say how it does on new rows.
 *
 * @throws TuningError for bad options; CalibrationError when the rows cannot be calibrated.
 */
export function tuneRoute(options: TuneRouteOptions): RouteTuning {
  const { records, objective, calibrate, confidence, bootstrapSamples, seed } = options;
  const calibration = calibrate === undefined ? undefined : fitRecordCalibration(calibrate, records);
  const scored = calibration === undefined ? records : recalibrateRecords(records, calibration);
  const fit = fitThreshold({ records: scored, objective, confidence, bootstrapSamples, seed });
  const crossValidated = crossValidate({ records, objective, folds: options.folds, seed, calibrate, confidence, bootstrapSamples });
  const tuning: RouteTuning = {
    threshold: fit.threshold,
    feasible: fit.feasible,
    fittedOnAll: fit.fitted,
    crossValidated,
    assurance: fit.assurance,
    summaryLines: [],
  };
  if (calibration !== undefined) tuning.calibration = calibration;
  if (fit.reason !== undefined) tuning.reason = fit.reason;
  tuning.summaryLines = summarise({ tuning, objective, rows: records.length, confidence: confidence ?? 0.95 });
  return tuning;
}

function summarise(options: { tuning: RouteTuning; objective: TuningObjective; rows: number; confidence: number }): string[] {
  const { tuning, objective, rows, confidence } = options;
  const { pooled, folds, foldsMeetingObjective } = tuning.crossValidated;
  const foldsMet = Math.round(foldsMeetingObjective * folds.length);
  const lines = [
    `objective: ${describeObjective(objective)}, at ${percent(confidence)} confidence`,
    `threshold ${tuning.threshold.toFixed(4)}${tuning.calibration === undefined ? '' : ` on ${tuning.calibration.method}-calibrated scores`}` +
      `, meeting the objective in ${percent(tuning.assurance)} of bootstrap resamples of ${rows} rows`,
    `on the rows it was fitted on (optimistic): ${figures(tuning.fittedOnAll)}`,
    `cross-validated over ${folds.length} folds (each row judged by a fit that never saw it): ${figures(pooled)}; ` +
      `objective ${pooled.objectiveMet ? 'met' : 'missed'} overall, met in ${foldsMet} of ${folds.length} folds`,
  ];
  if (!tuning.feasible && tuning.reason !== undefined) lines.push(`not feasible: ${tuning.reason}`);
  return lines;
}

function figures(values: FittedFigures): string {
  return `accuracy ${percent(values.accuracy)}, $${values.costPer1kUsd.toFixed(2)} per 1k requests, ${percent(values.escalationRate)} escalated`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

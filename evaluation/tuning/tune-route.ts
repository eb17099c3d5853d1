import { breakEven } from '../analysis/break-even';
import { strategyFigures } from '../analysis/cascade-at-threshold';
import type { EvaluationRecord } from '../analysis/evaluation-record';
import type { CalibrationMethod } from '../../gates/calibration/fit-calibration';
import type { Calibration } from '../../contracts/cascade/gate-spec';
import type { CascadeDecision } from './cascade-verdict';
import { crossValidate, type CrossValidation } from './cross-validate';
import { fitRecordCalibration } from './fit-record-calibration';
import type { DecisionVariable } from './threshold-ladder';
import { tuneOnce, type QualityMethod } from './tune-once';
import { TuningError } from './tuning-error';
import {
  assertValidObjective,
  describeObjectiveAt,
  isAccuracyObjective,
  type TuningObjective,
} from './tuning-objective';
import { describeVerdictCounts, percent, signedPoints } from './format-figures';

/** Options of `tuneRoute`. */
export interface TuneRouteOptions {
  records: readonly EvaluationRecord[];
  objective: TuningObjective;
  /** What the threshold is compared with: the confidence gate's raw `signal`, or another gate's `score`. */
  variable: DecisionVariable;
  /** How a quality objective is certified. @default 'exact' */
  method?: QualityMethod;
  /** Also fit this calibration on the rows' signal, for the gate's score (people and weighted gates); it never moves the decision. */
  calibrate?: CalibrationMethod;
  /** How sure the guarantee is. @default 0.95 */
  confidence?: number;
  /** Cross-validation folds. @default 5 */
  folds?: number;
  /** Bootstrap resamples (model-based certification, cost caps). @default 1000 */
  resamples?: number;
  /** Seed of every random draw (an integer). */
  seed: number;
  /** See `DecideCascadeOptions.minimumSaving`. @default 0.05 */
  minimumSaving?: number;
}

/** A route's tuning: the verdict, what to write, and what to expect on new rows. Plain JSON. */
export interface RouteTuning {
  objective: TuningObjective;
  variable: DecisionVariable;
  decision: CascadeDecision;
  /** For quality objectives, the other method's decision on the same rows, for comparison. */
  alternative?: CascadeDecision;
  /** The calibration fitted on all rows, when asked. */
  calibration?: Calibration;
  /** The two single-model strategies on these rows. */
  onTheseRows: {
    rows: number;
    cheapOnly: { accuracy: number; costPer1kUsd: number };
    flagshipOnly: { accuracy: number; costPer1kUsd: number };
    breakEvenEscalationRate: number | null;
  };
  /** The whole procedure cross-validated: what it does on rows it never saw. */
  crossValidated: CrossValidation;
  /** A few lines for a person to read. */
  summaryLines: string[];
}

/**
 * Decides whether a cascade pays on these rows and, when it does, the threshold to write: see
 * `decideCascade`. The threshold is chosen on the decision variable's own ordering; a calibration, when
 * asked for, is fitted on all rows for the gate's score only.
 *
 * @throws TuningError for bad options; CalibrationError when the rows cannot be calibrated.
 */
export function tuneRoute(options: TuneRouteOptions): RouteTuning {
  const { records, objective, variable, seed } = options;
  const method = options.method ?? 'exact';
  const confidence = options.confidence ?? 0.95;
  const folds = options.folds ?? 5;
  const resamples = options.resamples ?? 1000;
  assertValidTuneOptions({ records, confidence, folds, resamples, seed, minimumSaving: options.minimumSaving });
  assertValidObjective(objective);

  const common = { records, objective, variable, confidence, resamples, seed, minimumSaving: options.minimumSaving };
  const { decision } = tuneOnce({ ...common, method });
  const alternative = isAccuracyObjective(objective)
    ? tuneOnce({ ...common, method: method === 'exact' ? 'model-based' : 'exact' }).decision
    : undefined;
  const [crossValidated] = crossValidate({ ...common, objectives: [objective], method, folds });
  const strategies = strategyFigures(records);
  const tuning: RouteTuning = {
    objective,
    variable,
    decision,
    ...(alternative ? { alternative } : {}),
    onTheseRows: {
      rows: records.length,
      cheapOnly: { accuracy: strategies.cheapOnly.accuracy, costPer1kUsd: strategies.cheapOnly.costPer1kUsd },
      flagshipOnly: { accuracy: strategies.flagshipOnly.accuracy, costPer1kUsd: strategies.flagshipOnly.costPer1kUsd },
      breakEvenEscalationRate: breakEven(records).escalationRate,
    },
    crossValidated: crossValidated!,
    summaryLines: [],
  };
  if (options.calibrate !== undefined && variable === 'signal')
    tuning.calibration = fitRecordCalibration(options.calibrate, records);
  tuning.summaryLines = summarise(tuning, confidence);
  return tuning;
}

function summarise(tuning: RouteTuning, confidence: number): string[] {
  const { decision, crossValidated } = tuning;
  const { pooled } = crossValidated;
  const foldVerdicts = describeVerdictCounts(crossValidated.verdicts);
  return [
    `objective: ${describeObjectiveAt(tuning.objective, { confidence, method: decision.method })}`,
    ...decision.explanation,
    ...(tuning.alternative ? [`${tuning.alternative.method} method: ${tuning.alternative.explanation[0]}`] : []),
    `cross-validated over ${crossValidated.folds.length} folds (each row judged by a decision that never saw it): accuracy ${percent(pooled.accuracy)} ` +
      `(flagship alone ${percent(pooled.flagshipAccuracy)}, ${signedPoints(pooled.accuracyGapPoints)}), ${percent(pooled.escalationRate)} escalated, ` +
      `cost ${percent(pooled.costShare)} of the flagship alone; fold verdicts: ${foldVerdicts}`,
  ];
}

function assertValidTuneOptions(options: {
  records: readonly EvaluationRecord[];
  confidence: number;
  folds: number;
  resamples: number;
  seed: number;
  minimumSaving?: number;
}): void {
  if (!Array.isArray(options.records) || options.records.length === 0)
    throw new TuningError({ message: 'records must be a non-empty array of evaluation records' });
  if (!(options.confidence > 0 && options.confidence < 1))
    throw new TuningError({
      message: `confidence must be strictly between 0 and 1, got ${String(options.confidence)}`,
    });
  if (!Number.isInteger(options.folds) || options.folds < 2 || options.folds > options.records.length) {
    throw new TuningError({
      message: `folds must be an integer from 2 to the number of records (${options.records.length}), got ${String(options.folds)}`,
    });
  }
  if (!Number.isInteger(options.resamples) || options.resamples < 100)
    throw new TuningError({
      message: `resamples must be an integer of at least 100, got ${String(options.resamples)}`,
    });
  if (!Number.isInteger(options.seed))
    throw new TuningError({ message: `seed must be an integer, got ${String(options.seed)}` });
  if (options.minimumSaving !== undefined && !(options.minimumSaving >= 0 && options.minimumSaving < 1)) {
    throw new TuningError({
      message: `minimumSaving must be a share from 0 to below 1, got ${String(options.minimumSaving)}`,
    });
  }
}

import type { EvaluationRecord } from '../analysis/evaluation-record';
import { applyCalibration } from '../calibration/apply-calibration';
import { fitCalibration, type CalibrationMethod } from '../calibration/fit-calibration';
import type { Calibration } from '../common/gate-spec';

/** Fits a calibration of `method` on the records that carry a signal, against whether the cheap answer was right. */
export function fitRecordCalibration(method: CalibrationMethod, records: readonly EvaluationRecord[]): Calibration {
  const examples = records.flatMap((record) => (record.signal === undefined ? [] : [{ signal: record.signal, correct: record.cheapCorrect }]));
  return fitCalibration(method, examples);
}

/**
 * New records whose `score` is `calibration` applied to their `signal`. A record without a signal gets
 * score 0 and counts as failing the deterministic checks, so it escalates at every threshold, 0 included,
 * as the confidence gate escalates an answer without log-probabilities by default.
 */
export function recalibrateRecords(records: readonly EvaluationRecord[], calibration: Calibration): EvaluationRecord[] {
  return records.map((record) =>
    record.signal === undefined ? { ...record, score: 0, deterministicPass: false } : { ...record, score: applyCalibration(calibration, record.signal) },
  );
}

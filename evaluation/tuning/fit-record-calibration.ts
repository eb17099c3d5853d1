import type { EvaluationRecord } from '../analysis/evaluation-record';
import { fitCalibration, type CalibrationMethod } from '../../gates/calibration/fit-calibration';
import type { Calibration } from '../../contracts/cascade/gate-spec';

/** Fits a calibration of `method` on the records that carry a signal, against whether the cheap answer was right. */
export function fitRecordCalibration(method: CalibrationMethod, records: readonly EvaluationRecord[]): Calibration {
  const examples = records.flatMap((record) =>
    record.signal === undefined ? [] : [{ signal: record.signal, correct: record.cheapCorrect }],
  );
  return fitCalibration(method, examples);
}

import type { Calibration } from '../../contracts/cascade/gate-spec';
import { applyCalibration } from './apply-calibration';
import { CalibrationError } from './calibration-error';
import { assertUsableExamples, type CalibrationExample } from './calibration-example';

/**
 * The Brier score of a calibration on labelled examples: the mean of (p - 1)^2 over right answers and
 * p^2 over wrong ones. 0 is perfect; a constant p equal to the base rate scores rate * (1 - rate).
 * Throws `CalibrationError` for no examples.
 */
export function brierScore(calibration: Calibration, examples: ReadonlyArray<CalibrationExample>): number {
  assertUsableExamples(examples, { minimum: 1, purpose: 'brierScore' });
  const total = examples.reduce(
    (sum, example) => sum + (applyCalibration(calibration, example.signal) - outcome(example)) ** 2,
    0,
  );
  return total / examples.length;
}

/**
 * The expected calibration error: the examples are put in `bins` equal-width bins of predicted
 * probability ([0, 1/bins), ..., [1 - 1/bins, 1]), and the gaps between each bin's mean prediction and
 * its share of right answers are averaged, weighted by the bin's size. 0 is perfect.
 * Throws `CalibrationError` for no examples or a `bins` that is not a positive integer.
 * @param bins @default 10
 */
export function expectedCalibrationError(
  calibration: Calibration,
  examples: ReadonlyArray<CalibrationExample>,
  bins = 10,
): number {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new CalibrationError({ message: `expectedCalibrationError: bins must be a positive integer, got ${bins}` });
  }
  assertUsableExamples(examples, { minimum: 1, purpose: 'expectedCalibrationError' });
  const predictedSums = new Array<number>(bins).fill(0);
  const outcomeSums = new Array<number>(bins).fill(0);
  const counts = new Array<number>(bins).fill(0);
  for (const example of examples) {
    const predicted = applyCalibration(calibration, example.signal);
    const bin = Math.min(bins - 1, Math.floor(predicted * bins));
    predictedSums[bin]! += predicted;
    outcomeSums[bin]! += outcome(example);
    counts[bin]! += 1;
  }
  let error = 0;
  counts.forEach((count, bin) => {
    if (count > 0) error += Math.abs(predictedSums[bin]! - outcomeSums[bin]!) / examples.length;
  });
  return error;
}

function outcome(example: CalibrationExample): number {
  return example.correct ? 1 : 0;
}

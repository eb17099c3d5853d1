import type { Calibration } from '../../contracts/cascade/gate-spec';
import { CalibrationError } from './calibration-error';
import { logistic } from './logistic';

/**
 * The probability, from 0 to 1, that an answer with this raw signal is right.
 *
 * - `platt`: `1 / (1 + exp(-(slope * signal + intercept)))`, computed without overflow.
 * - `isotonic`: linear between the `[x, p]` points, the first point's p below the first x and the
 *   last point's p above the last x.
 *
 * Pure and deterministic (the confidence gate runs in workflow code and its verdict is recorded).
 * A signal of `-Infinity` (an impossible token) is allowed; `NaN` or an isotonic calibration without
 * points throws `CalibrationError`. The calibration itself is expected to have been parsed by
 * `calibrationSchema`.
 */
export function applyCalibration(calibration: Calibration, signal: number): number {
  if (Number.isNaN(signal))
    throw new CalibrationError({ message: 'cannot calibrate a signal that is not a number (NaN)' });
  switch (calibration.method) {
    case 'platt':
      return applyPlatt(calibration.slope, calibration.intercept, signal);
    case 'isotonic':
      return applyIsotonic(calibration.points, signal);
    default:
      throw new CalibrationError({
        message: `unknown calibration method ${JSON.stringify((calibration as { method?: unknown }).method)}`,
      });
  }
}

function applyPlatt(slope: number, intercept: number, signal: number): number {
  // A zero slope ignores the signal, even an infinite one (0 * -Infinity would be NaN).
  const linear = slope === 0 ? intercept : slope * signal + intercept;
  return logistic(linear);
}

function applyIsotonic(points: ReadonlyArray<readonly [number, number]>, signal: number): number {
  if (points.length === 0) throw new CalibrationError({ message: 'isotonic calibration needs at least one point' });
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (signal <= first[0]) return clampProbability(first[1]);
  if (signal >= last[0]) return clampProbability(last[1]);
  // Binary search for the segment [points[low], points[high]] holding the signal.
  let low = 0;
  let high = points.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (points[middle]![0] <= signal) low = middle;
    else high = middle;
  }
  const [leftX, leftP] = points[low]!;
  const [rightX, rightP] = points[high]!;
  const fraction = (signal - leftX) / (rightX - leftX);
  return clampProbability(leftP + fraction * (rightP - leftP));
}

function clampProbability(value: number): number {
  return Math.min(1, Math.max(0, value));
}

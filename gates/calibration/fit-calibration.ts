import type { Calibration } from '../../contracts/cascade/gate-spec';
import { CalibrationError } from './calibration-error';
import type { CalibrationExample } from './calibration-example';
import { fitIsotonic } from './fit-isotonic';
import { fitPlatt } from './fit-platt';

export type CalibrationMethod = Calibration['method'];

/**
 * Fits a calibration of the given method on labelled examples (see `fitPlatt` and `fitIsotonic`).
 * The result is valid for `calibrationSchema` and ready for a confidence gate's `calibration`.
 * Throws `CalibrationError` when the examples cannot be fitted or the method is unknown.
 */
export function fitCalibration(method: CalibrationMethod, examples: ReadonlyArray<CalibrationExample>): Calibration {
  switch (method) {
    case 'platt':
      return fitPlatt(examples);
    case 'isotonic':
      return fitIsotonic(examples);
    default:
      throw new CalibrationError({
        message: `unknown calibration method ${JSON.stringify(method)}; expected 'platt' or 'isotonic'`,
      });
  }
}

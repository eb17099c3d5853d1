import { CascadeError } from '../../contracts/cascade-error';
import { failureTypes } from '../../contracts/failure-types';

/**
 * A calibration that cannot be fitted or applied: too few labelled examples, a signal that is not a
 * finite number, an isotonic calibration without points. It comes from the data or the configuration,
 * not from a passing fault, so retrying cannot help.
 */
export class CalibrationError extends CascadeError {
  declare readonly type: typeof failureTypes.invalidCalibration;
  override readonly name = 'CalibrationError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: failureTypes.invalidCalibration });
  }
}

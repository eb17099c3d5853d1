/**
 * A calibration that cannot be fitted or applied: too few labelled examples, a signal that is not a
 * finite number, an isotonic calibration without points. It comes from the data or the configuration,
 * not from a passing fault, so retrying cannot help.
 */
export class CalibrationError extends Error {
  readonly type = 'InvalidCalibration';
  /** The same examples or calibration fail the same way every time. */
  readonly nonRetryable = true;

  constructor(message: string) {
    super(message);
    this.name = 'CalibrationError';
  }
}

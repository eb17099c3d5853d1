/**
 * Tuning that cannot run or cannot be applied: bad options, no records, a gate tree without exactly one
 * thresholded gate. It comes from the data or the configuration, so retrying cannot help.
 */
export class TuningError extends Error {
  readonly type = 'InvalidTuning';
  /** The same records and options fail the same way every time. */
  readonly nonRetryable = true;

  constructor(message: string) {
    super(message);
    this.name = 'TuningError';
  }
}

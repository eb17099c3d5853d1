import { CascadeError } from '../../contracts/cascade-error';
import { failureTypes } from '../../contracts/failure-types';

/**
 * Tuning that cannot run or cannot be applied: bad options, no records, a gate tree without exactly one
 * thresholded gate. It comes from the data or the configuration, so retrying cannot help.
 */
export class TuningError extends CascadeError {
  declare readonly type: typeof failureTypes.invalidTuning;
  override readonly name = 'TuningError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: failureTypes.invalidTuning });
  }
}

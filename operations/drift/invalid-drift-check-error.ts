import { CascadeError } from '../../contracts/cascade-error';
import { failureTypes } from '../../contracts/failure-types';

/** A drift check or schedule whose settings do not pass validation; nothing was started. Names each bad field. */
export class InvalidDriftCheckError extends CascadeError {
  declare readonly type: typeof failureTypes.invalidRequest;
  override readonly name = 'InvalidDriftCheckError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: failureTypes.invalidRequest });
  }
}

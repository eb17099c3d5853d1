import { failureTypes } from '../common/failure-types';

/** A drift check or schedule whose settings do not pass validation; nothing was started. Names each bad field. */
export class InvalidDriftCheckError extends Error {
  readonly type = failureTypes.invalidRequest;
  override readonly name = 'InvalidDriftCheckError';
}

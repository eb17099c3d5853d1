import { WorkflowFailureError } from './cascade-errors';

/**
 * A drift check that ended without an evaluation, or whose alert was not delivered. `type` is the
 * failure's stable type (`DriftAlertNotDelivered`, `InvalidCascadeRequest`, ...); `details` its details.
 */
export class DriftCheckFailedError extends WorkflowFailureError {
  override readonly name = 'DriftCheckFailedError';
}

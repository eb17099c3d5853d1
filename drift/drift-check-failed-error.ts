import { ApplicationFailure } from '@temporalio/common';

/**
 * A drift check that ended without an evaluation, or whose alert was not delivered. `type` is the
 * failure's stable type (`DriftAlertNotDelivered`, `InvalidCascadeRequest`, ...); `details` its details.
 */
export class DriftCheckFailedError extends Error {
  override readonly name = 'DriftCheckFailedError';

  constructor(
    message: string,
    readonly type: string,
    readonly workflowId: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** Builds the error from a workflow's failure (the cause of the client's `WorkflowFailedError`). */
  static fromWorkflowFailure(workflowId: string, cause: unknown): DriftCheckFailedError {
    if (cause instanceof ApplicationFailure) return new DriftCheckFailedError(cause.message, cause.type ?? 'ApplicationFailure', workflowId, cause.details?.[0]);
    return new DriftCheckFailedError(cause instanceof Error ? cause.message : String(cause), 'WorkflowFailed', workflowId, undefined);
  }
}

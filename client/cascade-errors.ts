import { ApplicationFailure } from '@temporalio/common';
import { failureTypes } from '../common/failure-types';

/** A request that does not pass validation; nothing was started. The message names each bad field. */
export class InvalidCascadeRequestError extends Error {
  readonly type = failureTypes.invalidRequest;
  override readonly name = 'InvalidCascadeRequestError';
}

/**
 * A cascade that ended without an answer. `type` is the failure's stable type (`CascadeFailed`,
 * `UnknownRoute`, `InvalidCascadeRequest`, `MissingApiKey`, ...); `details` are its recorded details.
 */
export class CascadeFailedError extends Error {
  override readonly name = 'CascadeFailedError';

  constructor(
    message: string,
    readonly type: string,
    readonly workflowId: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** Builds the error from a workflow's failure (the cause of the client's `WorkflowFailedError`). */
  static fromWorkflowFailure(workflowId: string, cause: unknown): CascadeFailedError {
    if (cause instanceof ApplicationFailure) {
      return new CascadeFailedError(cause.message, cause.type ?? 'ApplicationFailure', workflowId, cause.details?.[0]);
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    return new CascadeFailedError(message, 'WorkflowFailed', workflowId, undefined);
  }
}

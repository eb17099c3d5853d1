import { ApplicationFailure } from '@temporalio/common';
import { failureTypes } from '../common/failure-types';

/** A request that does not pass validation; nothing was started. The message names each bad field. */
export class InvalidCascadeRequestError extends Error {
  readonly type = failureTypes.invalidRequest;
  override readonly name = 'InvalidCascadeRequestError';
}

/**
 * A workflow that ended in failure: `type` is the failure's stable type, `details` its recorded
 * details. Each workflow's client raises its own subclass.
 */
export class WorkflowFailureError extends Error {
  constructor(
    message: string,
    readonly type: string,
    readonly workflowId: string,
    readonly details: unknown,
  ) {
    super(message);
  }

  /** Builds the error from a workflow's failure (the cause of the client's `WorkflowFailedError`). */
  static fromWorkflowFailure<T extends WorkflowFailureError>(
    this: new (...args: ConstructorParameters<typeof WorkflowFailureError>) => T,
    workflowId: string,
    cause: unknown,
  ): T {
    if (cause instanceof ApplicationFailure) {
      return new this(cause.message, cause.type ?? 'ApplicationFailure', workflowId, cause.details?.[0]);
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    return new this(message, 'WorkflowFailed', workflowId, undefined);
  }
}

/**
 * A cascade that ended without an answer. `type` is the failure's stable type (`CascadeFailed`,
 * `UnknownRoute`, `InvalidCascadeRequest`, `MissingApiKey`, ...); `details` are its recorded details.
 */
export class CascadeFailedError extends WorkflowFailureError {
  override readonly name = 'CascadeFailedError';
}

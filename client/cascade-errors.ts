import { ApplicationFailure } from '@temporalio/common';
import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';

/** A request that does not pass validation; nothing was started. The message names each bad field. */
export class InvalidCascadeRequestError extends CascadeError {
  declare readonly type: typeof failureTypes.invalidRequest;
  override readonly name = 'InvalidCascadeRequestError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: failureTypes.invalidRequest });
  }
}

export interface WorkflowFailureErrorOptions {
  message: string;
  /** The stable type of the workflow's failure, as recorded in its history. */
  type: string;
  workflowId: string;
  /** The failure's first recorded detail. */
  details: unknown;
}

/**
 * A workflow that ended in failure: `type` is the failure's stable type, `details` its recorded
 * details. Each workflow's client raises its own subclass.
 */
export class WorkflowFailureError extends CascadeError<string> {
  override readonly name: string = 'WorkflowFailureError';
  readonly workflowId: string;

  constructor(options: WorkflowFailureErrorOptions) {
    super({ type: options.type, message: options.message, details: options.details });
    this.workflowId = options.workflowId;
  }

  /** Builds the error from a workflow's failure (the cause of the client's `WorkflowFailedError`). */
  static fromWorkflowFailure<T extends WorkflowFailureError>(
    this: new (options: WorkflowFailureErrorOptions) => T,
    workflowId: string,
    cause: unknown,
  ): T {
    if (cause instanceof ApplicationFailure) {
      return new this({
        message: cause.message,
        type: cause.type ?? failureTypes.untypedApplicationFailure,
        workflowId,
        details: cause.details?.[0],
      });
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    return new this({ message, type: failureTypes.workflowFailed, workflowId, details: undefined });
  }
}

/**
 * A cascade that ended without an answer. `type` is the failure's stable type (`CascadeFailed`,
 * `UnknownRoute`, `InvalidCascadeRequest`, `MissingApiKey`, ...); `details` are its recorded details.
 */
export class CascadeFailedError extends WorkflowFailureError {
  override readonly name = 'CascadeFailedError';
}

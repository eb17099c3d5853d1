import { ApplicationFailure } from '@temporalio/common';
import { CascadeError } from './cascade-error';

export interface ToApplicationFailureOptions {
  /**
   * Fields added to the failure's first detail, e.g. the attempt or the cost of the call that failed.
   * @default none: the failure keeps its own details
   */
  addDetails?: Record<string, unknown>;
}

/**
 * The Temporal failure an activity throws for an error. A `CascadeError` keeps its stable `type`,
 * `nonRetryable` flag, details (as the first detail), `retryAfterMs` (as the next retry delay), cause
 * and stack. An `ApplicationFailure` is returned as it is; any other error becomes the retryable failure
 * Temporal itself would make of it (its class name as type). The one place activity code builds a failure.
 */
export function toApplicationFailure(error: unknown, options: ToApplicationFailureOptions = {}): ApplicationFailure {
  const failure = CascadeError.isInstance(error) ? fromCascadeError(error) : ApplicationFailure.fromError(error);
  if (options.addDetails === undefined) return failure;
  const first: unknown = failure.details?.[0];
  const withDetails = ApplicationFailure.create({
    type: failure.type ?? undefined,
    message: failure.message,
    nonRetryable: failure.nonRetryable ?? false,
    nextRetryDelay: failure.nextRetryDelay ?? undefined,
    details: [{ ...(typeof first === 'object' && first !== null ? first : {}), ...options.addDetails }],
    cause: failure.cause,
  });
  withDetails.stack = failure.stack;
  return withDetails;
}

function fromCascadeError(error: CascadeError<string>): ApplicationFailure {
  const failure = ApplicationFailure.create({
    type: error.type,
    message: error.message,
    nonRetryable: error.nonRetryable,
    details: error.details === undefined ? undefined : [error.details],
    nextRetryDelay: error.retryAfterMs,
    cause: error.cause instanceof Error ? error.cause : undefined,
  });
  failure.stack = error.stack;
  return failure;
}

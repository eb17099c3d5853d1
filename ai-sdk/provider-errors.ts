import { APICallError } from '@ai-sdk/provider';
import { CascadeFailedError } from '../client/cascade-errors';
import { cascadeFailureIsRetryable, cascadeFailureStatus } from '../client/cascade-summary';
import { CascadeError } from '../contracts/cascade-error';
import type { CascadeRequest } from '../contracts/cascade/cascade-request';
import { failureTypes } from '../contracts/failure-types';
import { temporalUnreachableErrorOf } from './temporal-server-unreachable-error';

/** The cascade a failed call was about, for the error the AI SDK sees. */
export interface CascadeCallContext {
  /** The cascade's address, `temporal://<namespace>/<workflowId>`. */
  url: string;
  /** The cascade request the call sent (or would have). */
  request: CascadeRequest;
  workflowId: string;
}

/** What `APICallError.data` holds for a cascade's error. */
export interface CascadeErrorData {
  /** The stable failure type (`CascadeFailed`, `InvalidCascadeRequest`, `TemporalServerUnreachable`, ...). */
  type: string;
  workflowId: string;
  /** The failure's recorded details: for `CascadeFailed`, which tier failed, why, and what was billed. */
  details: unknown;
}

/** HTTP-like statuses of the failures that are the caller's mistake, whether the client or the workflow found it. */
const callerMistakeStatuses: Readonly<Record<string, number>> = {
  [failureTypes.invalidRequest]: 400,
  [failureTypes.unknownRoute]: 404,
};

/** HTTP-like statuses of the errors raised before or around a cascade; 500 for one not named here. */
const statusByType: Readonly<Record<string, number>> = {
  ...callerMistakeStatuses,
  [failureTypes.cascadeWaitTimeout]: 504,
  [failureTypes.temporalServerUnreachable]: 503,
};

/**
 * The error an AI SDK caller gets for one a cascade call threw: an `APICallError` whose `data` is
 * `CascadeErrorData` and whose `isRetryable` says whether asking again may help, for
 *   - `CascadeFailedError` (the workflow failed): status 502 (400 for a bad request, 404 for an unknown
 *     route), retryable when its last tier failed on something passing (`cascadeFailureIsRetryable`);
 *   - the Temporal server out of reach (`temporalUnreachableErrorOf`): status 503, retryable;
 *   - any other project error (`InvalidCascadeRequestError`, `UnknownRouteError`, `CascadeWaitTimeoutError`):
 *     its status, retryable as its type is.
 * Anything else (an abort, the AI SDK's own errors) is returned as it is.
 */
export function providerErrorOf(error: unknown, context: CascadeCallContext): unknown {
  if (CascadeFailedError.isInstance(error)) {
    return apiCallError({
      error,
      context,
      message: `the cascade ${error.workflowId} failed (${error.type}): ${error.message}`,
      statusCode: cascadeFailureStatus(error.type),
      isRetryable: cascadeFailureIsRetryable(error),
    });
  }
  const projectError = temporalUnreachableErrorOf(error) ?? (CascadeError.isInstance(error) ? error : undefined);
  if (!projectError) return error;
  return apiCallError({
    error: projectError,
    context,
    message: projectError.message,
    statusCode: statusByType[projectError.type] ?? 500,
    isRetryable: !projectError.nonRetryable,
  });
}

function apiCallError(options: {
  error: CascadeError<string>;
  context: CascadeCallContext;
  message: string;
  statusCode: number;
  isRetryable: boolean;
}): APICallError {
  const data: CascadeErrorData = {
    type: options.error.type,
    workflowId: options.context.workflowId,
    details: options.error.details,
  };
  return new APICallError({
    message: options.message,
    url: options.context.url,
    requestBodyValues: options.context.request,
    statusCode: options.statusCode,
    isRetryable: options.isRetryable,
    data,
    cause: options.error,
  });
}

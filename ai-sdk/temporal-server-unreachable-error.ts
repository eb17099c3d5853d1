import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';

/**
 * The Temporal server could not be reached, or did not answer in time, while starting a cascade or waiting
 * for it. Retryable: a call under the same request id joins a cascade that did start.
 */
export class TemporalServerUnreachableError extends CascadeError {
  declare readonly type: typeof failureTypes.temporalServerUnreachable;
  override readonly name = 'TemporalServerUnreachableError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: failureTypes.temporalServerUnreachable });
  }
}

/** gRPC statuses of a server that is down, overloaded or slow, rather than one that refuses the call. */
const transientGrpcCodes: ReadonlySet<number> = new Set([
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED
  10, // ABORTED
  14, // UNAVAILABLE
]);

/**
 * The error as a `TemporalServerUnreachableError` when it says the Temporal server was out of reach: a gRPC
 * status of a server down or slow, or the client's `ServiceError` around one (or around no status at all);
 * `undefined` for any other error, a refusal such as a missing namespace or a denied permission included.
 */
export function temporalUnreachableErrorOf(error: unknown): TemporalServerUnreachableError | undefined {
  if (TemporalServerUnreachableError.isInstance(error)) return error;
  const status = isGrpcServiceError(error)
    ? error
    : error instanceof ServiceError && isGrpcServiceError(error.cause)
      ? error.cause
      : undefined;
  const unreachable = status ? transientGrpcCodes.has(status.code) : error instanceof ServiceError;
  if (!unreachable) return undefined;
  return new TemporalServerUnreachableError({
    message: `the Temporal server did not answer: ${(error as Error).message}`,
    cause: error,
  });
}

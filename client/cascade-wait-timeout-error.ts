import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';

/**
 * The caller's time budget (`requestTimeoutMs`) ran out before the cascade answered. Nothing was cancelled:
 * the cascade goes on, and a call under the same request id joins it instead of starting (and paying for)
 * another. Retryable.
 */
export class CascadeWaitTimeoutError extends CascadeError {
  declare readonly type: typeof failureTypes.cascadeWaitTimeout;
  override readonly name = 'CascadeWaitTimeoutError';
  readonly workflowId: string;
  readonly timeoutMs: number;

  constructor(options: { workflowId: string; timeoutMs: number }) {
    super({
      type: failureTypes.cascadeWaitTimeout,
      message: `the cascade ${options.workflowId} did not answer within ${options.timeoutMs} ms; it goes on, and a call with the same request id joins it`,
      details: { workflowId: options.workflowId, timeoutMs: options.timeoutMs },
    });
    this.workflowId = options.workflowId;
    this.timeoutMs = options.timeoutMs;
  }
}

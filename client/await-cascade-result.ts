import type { CascadeClient } from './cascade-client';
import type { CascadeResult } from '../contracts/cascade/cascade-result';
import { CascadeWaitTimeoutError } from './cascade-wait-timeout-error';

export interface AwaitCascadeResultOptions {
  client: Pick<CascadeClient, 'result'>;
  workflowId: string;
  /** Stops the wait, rejecting with the signal's reason. @default none */
  abortSignal?: AbortSignal;
  /** Stops the wait after this long with `CascadeWaitTimeoutError`. @default none: as long as the cascade takes */
  timeoutMs?: number;
}

/**
 * A cascade's result, or the reason the caller stopped waiting for it. Stopping never cancels the cascade:
 * it goes on to its answer and is billed once, and a call under the same request id joins it. The poll for
 * the result is not cancelled either: it ends with the cascade, its answer dropped.
 */
export async function awaitCascadeResult(options: AwaitCascadeResultOptions): Promise<CascadeResult> {
  const { abortSignal, timeoutMs } = options;
  abortSignal?.throwIfAborted();
  const result = options.client.result(options.workflowId);
  if (!abortSignal && timeoutMs === undefined) return result;

  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    if (timeoutMs !== undefined)
      timer = setTimeout(
        () => reject(new CascadeWaitTimeoutError({ workflowId: options.workflowId, timeoutMs })),
        timeoutMs,
      );
    if (abortSignal) {
      onAbort = () => reject(abortSignal.reason);
      abortSignal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    return await Promise.race([result, stopped]);
  } finally {
    clearTimeout(timer);
    if (onAbort) abortSignal?.removeEventListener('abort', onAbort);
    // The wait that lost the race must not end as an unhandled rejection.
    result.catch(() => undefined);
  }
}

import type { CascadeResult } from '../contracts/cascade/cascade-result';
import { RefusedRequestError } from '../http/refused-request';

/** Idempotency keys: what a request id may hold after the caller's name. */
const idempotencyKeyPattern = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;

/**
 * The request's `Idempotency-Key` header, else its `X-Request-Id`: a repeat of the request with the same
 * key joins the same cascade and is billed once. Undefined when it sends neither; throws a
 * `RefusedRequestError` (400) naming the header when the key is not 1 to 128 letters, digits and . _ : @ / -.
 */
export function idempotencyKeyOf(headers: Headers): string | undefined {
  for (const name of ['idempotency-key', 'x-request-id']) {
    const key = headers.get(name);
    if (key === null) continue;
    if (!idempotencyKeyPattern.test(key))
      throw new RefusedRequestError({
        status: 400,
        param: name,
        message: `${name}: must be 1 to 128 letters, digits and . _ : @ / -, starting with a letter or digit`,
      });
    return key;
  }
  return undefined;
}

/**
 * The request's own time budget, `X-Cascade-Timeout-Ms`, within the server's (`api.requestTimeout`); the
 * server's without it. Throws a `RefusedRequestError` (400) naming the header for a value that is not a
 * whole number of milliseconds from 1 to the server's budget.
 */
export function requestTimeoutOf(headers: Headers, serverTimeoutMs: number): number {
  const value = headers.get('x-cascade-timeout-ms');
  if (value === null) return serverTimeoutMs;
  const milliseconds = /^[0-9]{1,10}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!(milliseconds >= 1 && milliseconds <= serverTimeoutMs))
    throw new RefusedRequestError({
      status: 400,
      param: 'x-cascade-timeout-ms',
      message: `x-cascade-timeout-ms: must be a whole number of milliseconds from 1 to ${serverTimeoutMs} (the server's api.requestTimeout), got ${JSON.stringify(value)}`,
    });
  return milliseconds;
}

/** The `x-cascade-*` headers of an answer (or of a failure or a timeout: the ids only, and the outcome when known). */
export function cascadeHeaders(options: {
  workflowId: string;
  requestId: string;
  idempotencyKey: string;
  result?: CascadeResult;
  failed?: boolean;
}): Record<string, string> {
  const { result } = options;
  return {
    'x-cascade-workflow-id': options.workflowId,
    'x-cascade-request-id': options.requestId,
    'x-cascade-idempotency-key': options.idempotencyKey,
    ...(options.failed ? { 'x-cascade-outcome': 'failed' } : {}),
    ...(result
      ? {
          'x-cascade-outcome': result.outcome,
          ...(result.escalationReason ? { 'x-cascade-escalation-reason': result.escalationReason } : {}),
          'x-cascade-cost-usd': result.cost.totalUsd.toFixed(8),
          'x-cascade-flagship-only-cost-usd': result.cost.flagshipOnlyUsd.toFixed(8),
        }
      : {}),
  };
}

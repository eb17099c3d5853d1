import { APICallError, UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { ServiceError } from '@temporalio/client';
import { CascadeFailedError, InvalidCascadeRequestError } from '../client/cascade-errors';
import { UnknownRouteError } from '../config/configuration-error';
import type { CascadeRequest } from '../contracts/cascade/cascade-request';
import { CascadeWaitTimeoutError } from '../client/cascade-wait-timeout-error';
import { providerErrorOf, type CascadeCallContext } from './provider-errors';
import { TemporalServerUnreachableError } from './temporal-server-unreachable-error';

const request: CascadeRequest = {
  requestId: 'ticket-1',
  route: 'tickets',
  messages: [{ role: 'user', content: 'My invoice is wrong.' }],
};
const context: CascadeCallContext = {
  url: 'temporal://default/cascade-ticket-1',
  request,
  workflowId: 'cascade-ticket-1',
};

function apiCallErrorOf(error: unknown): APICallError {
  const mapped = providerErrorOf(error, context);
  expect(APICallError.isInstance(mapped)).toBe(true);
  return mapped as APICallError;
}

function cascadeFailure(options: { type: string; lastErrorType?: string; message?: string }): CascadeFailedError {
  return new CascadeFailedError({
    message: options.message ?? 'the flagship tier (flagship-model) gave no answer',
    type: options.type,
    workflowId: 'cascade-ticket-1',
    details: {
      escalationReason: 'json_invalid',
      tiers: [
        { tier: 'cheap', status: 'answered' },
        { tier: 'flagship', status: 'unavailable', errorType: options.lastErrorType },
      ],
    },
  });
}

/** A gRPC status error as @grpc/grpc-js raises it. */
function grpcError(code: number, message: string): Error {
  return Object.assign(new Error(`${code} ${message}`), { code, details: message, metadata: {} });
}

describe('providerErrorOf', () => {
  it('turns a failed cascade into a 502 naming the failure, with its type, workflow and details as data', () => {
    const failure = cascadeFailure({ type: 'CascadeFailed', lastErrorType: 'ProviderRequestRejected' });
    const error = apiCallErrorOf(failure);
    expect(error.message).toBe(
      'the cascade cascade-ticket-1 failed (CascadeFailed): the flagship tier (flagship-model) gave no answer',
    );
    expect(error.statusCode).toBe(502);
    expect(error.isRetryable).toBe(false);
    expect(error.url).toBe('temporal://default/cascade-ticket-1');
    expect(error.requestBodyValues).toBe(request);
    expect(error.data).toEqual({ type: 'CascadeFailed', workflowId: 'cascade-ticket-1', details: failure.details });
    expect(error.cause).toBe(failure);
  });

  it('says a failed cascade is worth retrying when its last tier failed on something passing', () => {
    expect(
      apiCallErrorOf(cascadeFailure({ type: 'CascadeFailed', lastErrorType: 'ProviderUnavailable' })).isRetryable,
    ).toBe(true);
    expect(
      apiCallErrorOf(cascadeFailure({ type: 'CascadeFailed', lastErrorType: 'ProviderRateLimited' })).isRetryable,
    ).toBe(true);
    expect(apiCallErrorOf(cascadeFailure({ type: 'CascadeFailed' })).isRetryable).toBe(false);
    expect(apiCallErrorOf(cascadeFailure({ type: 'MissingApiKey' })).isRetryable).toBe(false);
  });

  it('gives the caller’s mistakes found by the workflow a 4xx status', () => {
    const unknownRoute = apiCallErrorOf(cascadeFailure({ type: 'UnknownRoute', message: 'unknown route "nope"' }));
    expect(unknownRoute.statusCode).toBe(404);
    expect(unknownRoute.isRetryable).toBe(false);
    expect(unknownRoute.message).toBe('the cascade cascade-ticket-1 failed (UnknownRoute): unknown route "nope"');
    expect(apiCallErrorOf(cascadeFailure({ type: 'InvalidCascadeRequest' })).statusCode).toBe(400);
    expect(apiCallErrorOf(cascadeFailure({ type: 'PolicyRejected' })).statusCode).toBe(502);
  });

  it('turns a request the client refuses into a 400 that is not retried', () => {
    const invalid = new InvalidCascadeRequestError({ message: 'invalid cascade request: temperature: Too big' });
    const error = apiCallErrorOf(invalid);
    expect(error.statusCode).toBe(400);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toBe('invalid cascade request: temperature: Too big');
    expect(error.data).toEqual({ type: 'InvalidCascadeRequest', workflowId: 'cascade-ticket-1', details: undefined });
  });

  it('turns a route the client’s routes lack into a 404', () => {
    const error = apiCallErrorOf(new UnknownRouteError({ route: 'nope', knownRoutes: ['tickets'] }));
    expect(error.statusCode).toBe(404);
    expect(error.isRetryable).toBe(false);
    expect((error.data as { type: string }).type).toBe('UnknownRoute');
  });

  it('turns a wait that ran out of time into a retryable 504', () => {
    const error = apiCallErrorOf(new CascadeWaitTimeoutError({ workflowId: 'cascade-ticket-1', timeoutMs: 250 }));
    expect(error.statusCode).toBe(504);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain('did not answer within 250 ms; it goes on');
    expect(error.data).toEqual({
      type: 'CascadeWaitTimeout',
      workflowId: 'cascade-ticket-1',
      details: { workflowId: 'cascade-ticket-1', timeoutMs: 250 },
    });
  });

  it('turns a Temporal server out of reach into a retryable 503', () => {
    const unavailable = grpcError(14, 'UNAVAILABLE: No connection established');
    for (const thrown of [
      unavailable,
      new ServiceError('Failed to start Workflow', { cause: unavailable }),
      new ServiceError('Failed to start Workflow', { cause: grpcError(4, 'DEADLINE_EXCEEDED: Deadline exceeded') }),
      new TemporalServerUnreachableError({ message: 'could not connect to the Temporal server: Failed to connect' }),
    ]) {
      const error = apiCallErrorOf(thrown);
      expect(error.statusCode).toBe(503);
      expect(error.isRetryable).toBe(true);
      expect((error.data as { type: string }).type).toBe('TemporalServerUnreachable');
    }
    expect(apiCallErrorOf(unavailable).message).toBe(
      'the Temporal server did not answer: 14 UNAVAILABLE: No connection established',
    );
  });

  it('leaves a refusal by the Temporal server, an abort and the AI SDK’s own errors as they are', () => {
    const permissionDenied = new ServiceError('Failed to start Workflow', {
      cause: grpcError(7, 'PERMISSION_DENIED: Request unauthorized'),
    });
    const abort = new DOMException('This operation was aborted', 'AbortError');
    const unsupported = new UnsupportedFunctionalityError({ functionality: 'tools' });
    const bug = new TypeError('cannot read properties of undefined');
    for (const error of [permissionDenied, abort, unsupported, bug])
      expect(providerErrorOf(error, context)).toBe(error);
  });
});

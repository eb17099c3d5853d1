import { ApplicationFailure } from '@temporalio/common';
import { BackfillSourceError, backfillSourceErrorTypes } from '../operations/backfill/sources/backfill-source-error';
import { ConfigurationError } from '../config/configuration-error';
import { CascadeError } from './cascade-error';
import { failureTypes } from './failure-types';
import { toApplicationFailure } from './to-application-failure';

describe('toApplicationFailure', () => {
  it("carries a project error's type, message, non-retryable flag, details, retry delay and cause", () => {
    const cause = new Error('ENOENT');
    const error = new CascadeError({
      type: failureTypes.alertWebhookUnavailable,
      message: 'the alert webhook at https://hooks.example answered 503',
      details: { statusCode: 503, origin: 'https://hooks.example' },
      retryAfterMs: 2_000,
      cause,
    });
    const failure = toApplicationFailure(error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'AlertWebhookUnavailable',
      message: 'the alert webhook at https://hooks.example answered 503',
      nonRetryable: false,
      details: [{ statusCode: 503, origin: 'https://hooks.example' }],
      nextRetryDelay: 2_000,
    });
    expect(failure.cause).toBe(cause);
    expect(failure.stack).toBe(error.stack);
  });

  it('makes a failure of a non-retryable type non-retryable, without details when the error has none', () => {
    const failure = toApplicationFailure(
      new BackfillSourceError({ type: backfillSourceErrorTypes.sourceChanged, message: 'requests.jsonl shrank' }),
    );
    expect(failure).toMatchObject({
      type: 'BackfillSourceChanged',
      nonRetryable: true,
      message: 'requests.jsonl shrank',
    });
    expect(failure.details).toBeUndefined();
    expect(failure.cause).toBeUndefined();
  });

  it('returns an application failure as it is', () => {
    const failure = ApplicationFailure.create({ type: 'ModelNotAllowed', message: 'no', nonRetryable: true });
    expect(toApplicationFailure(failure)).toBe(failure);
  });

  it('makes any other error the retryable failure Temporal would make of it', () => {
    const failure = toApplicationFailure(new RangeError('out of range'));
    expect(failure).toMatchObject({ type: 'RangeError', message: 'out of range', nonRetryable: false });
  });

  it("adds fields to the first detail, keeping the failure's own", () => {
    const provider = ApplicationFailure.create({
      type: failureTypes.providerRateLimited,
      message: 'rate limited',
      details: [{ statusCode: 429 }],
      nextRetryDelay: 1_500,
    });
    expect(toApplicationFailure(provider, { addDetails: { attempt: 2 } })).toMatchObject({
      type: 'ProviderRateLimited',
      message: 'rate limited',
      nonRetryable: false,
      nextRetryDelay: 1_500,
      details: [{ statusCode: 429, attempt: 2 }],
    });
    expect(
      toApplicationFailure(new ConfigurationError({ message: 'bad gate' }), { addDetails: { knownRoutes: [] } }),
    ).toMatchObject({ type: 'InvalidConfiguration', nonRetryable: true, details: [{ knownRoutes: [] }] });
  });
});

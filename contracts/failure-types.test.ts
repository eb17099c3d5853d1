import { failureTypes, isRetryableFailureType, nonRetryableFailureTypes } from './failure-types';

describe('failure types', () => {
  it('gives every type one distinct string', () => {
    const types = Object.values(failureTypes);
    expect(new Set(types).size).toBe(types.length);
  });

  it('says which types retrying cannot help', () => {
    expect(isRetryableFailureType(failureTypes.providerRateLimited)).toBe(true);
    expect(isRetryableFailureType(failureTypes.alertWebhookUnavailable)).toBe(true);
    expect(isRetryableFailureType(failureTypes.providerAuthenticationFailed)).toBe(false);
    expect(isRetryableFailureType(failureTypes.backfillSourceChanged)).toBe(false);
    expect(nonRetryableFailureTypes).toContain('InvalidCascadeRequest');
    expect(nonRetryableFailureTypes).not.toContain('ProviderUnavailable');
  });

  it('treats a type it does not know as retryable, as Temporal does', () => {
    expect(isRetryableFailureType('TypeError')).toBe(true);
  });
});

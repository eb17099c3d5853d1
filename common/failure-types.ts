/**
 * Stable `type` strings of the failures the project raises. Callers match on these, never on messages.
 */
export const failureTypes = {
  /** The workflow input or a CLI request is malformed; names the bad field. Not retried. */
  invalidRequest: 'InvalidCascadeRequest',
  /** The request names a route the configuration does not have. Not retried. */
  unknownRoute: 'UnknownRoute',
  /** The configuration file is missing, unreadable or invalid. */
  invalidConfiguration: 'InvalidConfiguration',
  /** A model's API key variable is not set in the worker's environment. Not retried. */
  missingApiKey: 'MissingApiKey',
  /**
   * A policy names a provider endpoint or API key variable that the worker's own configuration does not
   * have. Not retried: a starter cannot make the worker send a key to an endpoint it was not given.
   */
  modelNotAllowed: 'ModelNotAllowed',
  /** Provider answered 429. Retried, honouring Retry-After. */
  providerRateLimited: 'ProviderRateLimited',
  /** Provider answered 5xx, 408 or 409. Retried. */
  providerUnavailable: 'ProviderUnavailable',
  /** The call took longer than the tier's timeout. Retried. */
  providerTimeout: 'ProviderTimeout',
  /** The connection failed or was cut. Retried. */
  providerConnectionFailed: 'ProviderConnectionFailed',
  /** Provider answered 401 or 403. Not retried. */
  providerAuthenticationFailed: 'ProviderAuthenticationFailed',
  /** Provider answered 404 (usually an unknown model). Not retried. */
  providerNotFound: 'ProviderNotFound',
  /** Provider answered 400 or 422, or another 4xx. Not retried. */
  providerRequestRejected: 'ProviderRequestRejected',
  /** Provider answered with a body that could not be read. Retried. */
  providerInvalidResponse: 'ProviderInvalidResponse',
  /** A provider error the mapping does not recognise. Retried, within the tier's attempts. */
  providerError: 'ProviderError',
  /** The flagship tier could not answer; the cascade ends without an answer. */
  cascadeFailed: 'CascadeFailed',
  /** The drift-alert webhook answered 5xx, 408, 409 or 429, or could not be reached in time. Retried. */
  alertWebhookUnavailable: 'AlertWebhookUnavailable',
  /** The drift-alert webhook refused the alert (another 4xx): a wrong URL or token. Not retried. */
  alertWebhookRejected: 'AlertWebhookRejected',
  /** A drift check found an alert but could not deliver it to the webhook (it was logged). */
  driftAlertNotDelivered: 'DriftAlertNotDelivered',
} as const;
export type FailureType = (typeof failureTypes)[keyof typeof failureTypes];

/** Failure types that say the request itself (or the setup) is wrong, so retrying cannot help. */
export const nonRetryableFailureTypes: readonly FailureType[] = [
  failureTypes.invalidRequest,
  failureTypes.unknownRoute,
  failureTypes.invalidConfiguration,
  failureTypes.missingApiKey,
  failureTypes.modelNotAllowed,
  failureTypes.providerAuthenticationFailed,
  failureTypes.providerNotFound,
  failureTypes.providerRequestRejected,
];

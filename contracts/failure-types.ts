/**
 * Every stable `type` string the project raises, each with whether retrying it can help. Callers match on
 * these, never on messages; the strings are recorded in workflow histories and printed by the CLI, so
 * they never change.
 */
const failureTypeRegistry = {
  // Requests, routes and configuration.
  /** The workflow input or a CLI request is malformed; names the bad field. */
  invalidRequest: { type: 'InvalidCascadeRequest', retryable: false },
  /** The request names a route the configuration does not have. */
  unknownRoute: { type: 'UnknownRoute', retryable: false },
  /** The configuration file is missing, unreadable or invalid. */
  invalidConfiguration: { type: 'InvalidConfiguration', retryable: false },
  /** A model's API key variable is not set in the worker's environment. */
  missingApiKey: { type: 'MissingApiKey', retryable: false },
  /**
   * A policy names a provider endpoint or API key variable that the worker's own configuration does not
   * have: a starter cannot make the worker send a key to an endpoint it was not given.
   */
  modelNotAllowed: { type: 'ModelNotAllowed', retryable: false },
  /**
   * A policy in workflow input that the worker's configuration does not allow: values above its limits,
   * prices that are not the configuration's or the price table's, a route it does not have.
   */
  policyRejected: { type: 'PolicyRejected', retryable: false },
  /** The workflow id is not the one the request id gives (`cascade-<requestId>`): idempotency would not hold. */
  requestIdMismatch: { type: 'RequestIdMismatch', retryable: false },

  // Payload encryption.
  /** `CASCADE_ENCRYPTION_KEYS` or the key file is malformed: a bad id, a key that is not 32 bytes of base64, a repeated id. */
  invalidEncryptionKeys: { type: 'InvalidEncryptionKeys', retryable: false },
  /**
   * A payload is encrypted with a key id this process does not hold. A worker retries the task, so a worker
   * given the key picks it up; nothing is lost.
   */
  encryptionKeyMissing: { type: 'EncryptionKeyMissing', retryable: true },
  /** An encrypted payload that does not decrypt: altered, truncated, or sealed under another key of the same id. */
  payloadUndecryptable: { type: 'PayloadUndecryptable', retryable: false },

  // Model providers.
  /** Provider answered 429. Retried, honouring Retry-After. */
  providerRateLimited: { type: 'ProviderRateLimited', retryable: true },
  /** Provider answered 5xx, 408 or 409. */
  providerUnavailable: { type: 'ProviderUnavailable', retryable: true },
  /** The call took longer than the tier's timeout. */
  providerTimeout: { type: 'ProviderTimeout', retryable: true },
  /** The connection failed or was cut. */
  providerConnectionFailed: { type: 'ProviderConnectionFailed', retryable: true },
  /** Provider answered 401 or 403. */
  providerAuthenticationFailed: { type: 'ProviderAuthenticationFailed', retryable: false },
  /** Provider answered 404 (usually an unknown model). */
  providerNotFound: { type: 'ProviderNotFound', retryable: false },
  /** Provider answered 400 or 422, or another 4xx. */
  providerRequestRejected: { type: 'ProviderRequestRejected', retryable: false },
  /**
   * The provider answered without content (no text, or only whitespace): a provider error, retried within
   * the tier's attempts, never an empty success. Its details carry what the call was billed.
   */
  providerEmptyAnswer: { type: 'ProviderEmptyAnswer', retryable: true },
  /**
   * The answer is longer than the worker takes (`limits.maximumAnswerBytes`): it would not fit the
   * history's payloads. Not retried (the same prompt tends to give the same length); its details carry
   * what the call was billed.
   */
  providerAnswerTooLarge: { type: 'ProviderAnswerTooLarge', retryable: false },
  /**
   * The circuit of the model's endpoint is open: it failed too often of late, so the worker refused the call
   * without sending it (no provider request, no retry sleep). The tier moves to its next model.
   */
  circuitOpen: { type: 'CircuitOpen', retryable: false },
  /** Provider answered with a body that could not be read. */
  providerInvalidResponse: { type: 'ProviderInvalidResponse', retryable: true },
  /** A provider error the mapping does not recognise; retried within the tier's attempts. */
  providerError: { type: 'ProviderError', retryable: true },

  // Cascades, gates and judges.
  /**
   * A budget of the request's customer or route is at its hard cap: the request was refused before it
   * spent anything (HTTP 429 from the API), or the cheap tier it was held to gave no answer.
   */
  budgetExceeded: { type: 'BudgetExceeded', retryable: false },
  /** The flagship tier could not answer; the cascade ends without an answer. */
  cascadeFailed: { type: 'CascadeFailed', retryable: false },
  /** A gate set up wrong: an invalid JSON Schema, an unregistered `schemaName`, an unusable regular expression. */
  invalidGateConfiguration: { type: 'InvalidGateConfiguration', retryable: false },
  /** A judge's answer holds no usable score; the same judge asked again seldom does better, and each call is billed. */
  invalidJudgeOutput: { type: 'InvalidJudgeOutput', retryable: false },
  /** A model call whose activity timed out on the server (no attempt reported its own failure). */
  activityTimeout: { type: 'ActivityTimeout', retryable: true },
  /** A model call whose activity failed without an application failure (cancelled, terminated). */
  activityFailure: { type: 'ActivityFailure', retryable: true },
  /** An application failure recorded without a type. */
  untypedApplicationFailure: { type: 'ApplicationFailure', retryable: true },
  /** A workflow ended in a failure that is not an application failure (terminated, timed out, cancelled). */
  workflowFailed: { type: 'WorkflowFailed', retryable: false },
  /**
   * A caller stopped waiting for a cascade's answer after its time budget. The cascade goes on; asking again
   * under the same request id joins it, so it is billed once.
   */
  cascadeWaitTimeout: { type: 'CascadeWaitTimeout', retryable: true },

  // Drift checks and alerts.
  /** The drift-alert webhook answered 5xx, 408, 409 or 429, or could not be reached in time. */
  alertWebhookUnavailable: { type: 'AlertWebhookUnavailable', retryable: true },
  /** The drift-alert webhook refused the alert (another 4xx): a wrong URL or token. */
  alertWebhookRejected: { type: 'AlertWebhookRejected', retryable: false },
  /** A drift check found an alert but could not deliver it to the webhook (it was logged). */
  driftAlertNotDelivered: { type: 'DriftAlertNotDelivered', retryable: false },

  // Back-fill jobs and their sources.
  /** The `--source` argument or a source descriptor is malformed: an unknown scheme, a bad table name, a gzipped file. */
  backfillSourceInvalid: { type: 'BackfillSourceInvalid', retryable: false },
  /** A PostgreSQL URL carries a password, which would be stored in the workflow history. */
  backfillSourcePasswordInUrl: { type: 'BackfillSourcePasswordInUrl', retryable: false },
  /** The source's file does not exist or is not a regular file. */
  backfillSourceNotFound: { type: 'BackfillSourceNotFound', retryable: false },
  /** A cursor that this source did not produce (or produced for another kind of source). */
  backfillCursorInvalid: { type: 'BackfillCursorInvalid', retryable: false },
  /** The file changed under a cursor: it shrank, or the cursor no longer falls at the start of a line. */
  backfillSourceChanged: { type: 'BackfillSourceChanged', retryable: false },
  /** A back-fill job failed (its source could not be read, say). */
  backfillJobFailed: { type: 'BackfillJobFailed', retryable: false },
  /** No back-fill job of that name. */
  backfillJobNotFound: { type: 'BackfillJobNotFound', retryable: false },

  // Offline tools: datasets, evaluation, calibration, tuning, reports.
  /** A replay dataset is unreadable or holds a bad line. */
  invalidDataset: { type: 'InvalidDataset', retryable: false },
  /** `--subset` names no subset of the dataset. */
  unknownSubset: { type: 'UnknownSubset', retryable: false },
  /** A model of the route has no recorded answer in (some of) the selected rows. */
  modelNotInDataset: { type: 'ModelNotInDataset', retryable: false },
  /** The dataset, subset and limit select no row. */
  emptySelection: { type: 'EmptySelection', retryable: false },
  /** The route's gate has a shape an evaluation cannot read one thresholded score from. */
  unsupportedGate: { type: 'UnsupportedGate', retryable: false },
  /** The holdout split is malformed: a share outside (0, 1). */
  invalidHoldout: { type: 'InvalidHoldout', retryable: false },
  /** An accepted item whose flagship shadow call failed. */
  shadowFailed: { type: 'ShadowFailed', retryable: false },
  /** A calibration that cannot be fitted or applied. */
  invalidCalibration: { type: 'InvalidCalibration', retryable: false },
  /** Tuning that cannot run or cannot be applied. */
  invalidTuning: { type: 'InvalidTuning', retryable: false },
  /** A command line option that cannot be used; the message names it. */
  invalidOptions: { type: 'InvalidOptions', retryable: false },
  /** A report asked for with bad options (a malformed time, an unknown grouping key). */
  invalidReportOptions: { type: 'InvalidReportOptions', retryable: false },
  /** A chart file's name does not end in the extension of a format charts are written in. */
  unsupportedChartFormat: { type: 'UnsupportedChartFormat', retryable: false },
  /** docker-compose.yml does not have the structure the project relies on. */
  invalidComposeFile: { type: 'InvalidComposeFile', retryable: false },

  // The local model server.
  /** The model server options are malformed. */
  invalidModelServerOptions: { type: 'InvalidModelServerOptions', retryable: false },
  /** A scripted model spec is malformed. */
  invalidModelSpec: { type: 'InvalidModelSpec', retryable: false },
  /** A request the model server refuses, answered with an OpenAI-shaped error body. */
  refusedRequest: { type: 'RefusedRequest', retryable: false },
  /** A request body was larger than the model server accepts. */
  requestTooLarge: { type: 'RequestTooLarge', retryable: false },
  /** A request body that is not JSON. */
  invalidJsonBody: { type: 'InvalidJsonBody', retryable: false },

  // Getting a Temporal CLI and server.
  /** `TEMPORAL_CLI_PATH` names a file that is missing, not a file, or not executable. */
  temporalCliPathInvalid: { type: 'TemporalCliPathInvalid', retryable: false },
  /** No Temporal CLI was found and there is no `go` to build one. */
  goNotFound: { type: 'GoNotFound', retryable: false },
  /** `go install` and the wrapper-module fallback both failed. */
  temporalCliBuildFailed: { type: 'TemporalCliBuildFailed', retryable: true },
  /** Another process held the build lock for too long. */
  temporalCliBuildLockTimeout: { type: 'TemporalCliBuildLockTimeout', retryable: true },
  /** The dev server's port is taken (by a Temporal server or something else). */
  temporalPortInUse: { type: 'TemporalPortInUse', retryable: false },
  /** The dev server exited or did not answer in time. */
  temporalDevServerFailed: { type: 'TemporalDevServerFailed', retryable: true },
  /** The Temporal server at `TEMPORAL_ADDRESS` (or a reused one) does not answer. */
  temporalServerUnreachable: { type: 'TemporalServerUnreachable', retryable: true },
  /** A search attribute exists with another type, or could not be registered. */
  searchAttributeConflict: { type: 'SearchAttributeConflict', retryable: false },
} as const satisfies Record<string, { type: string; retryable: boolean }>;

type FailureTypeRegistry = typeof failureTypeRegistry;

/** The stable `type` strings, by name: `failureTypes.unknownRoute` is `'UnknownRoute'`. */
export const failureTypes = Object.fromEntries(
  Object.entries(failureTypeRegistry).map(([name, entry]) => [name, entry.type]),
) as { readonly [Name in keyof FailureTypeRegistry]: FailureTypeRegistry[Name]['type'] };

export type FailureType = FailureTypeRegistry[keyof FailureTypeRegistry]['type'];

/**
 * Failure types that say the request itself (or the setup) is wrong, so retrying cannot help. Activity
 * retry policies name them as non-retryable.
 */
export const nonRetryableFailureTypes: readonly FailureType[] = Object.values(failureTypeRegistry)
  .filter((entry) => !entry.retryable)
  .map((entry) => entry.type);

/** Whether a failure of this type is worth retrying. A type the registry does not know is, as Temporal assumes. */
export function isRetryableFailureType(type: string): boolean {
  return !(nonRetryableFailureTypes as readonly string[]).includes(type);
}

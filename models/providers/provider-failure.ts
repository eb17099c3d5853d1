import {
  APICallError,
  EmptyResponseBodyError,
  InvalidArgumentError,
  InvalidPromptError,
  InvalidResponseDataError,
  JSONParseError,
  NoContentGeneratedError,
  TypeValidationError,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';
import { ApplicationFailure } from '@temporalio/common';
import { CascadeError } from '../../contracts/cascade-error';
import { InvalidMessageRoleError, MessageConversionError, NoOutputGeneratedError, RetryError } from 'ai';
import { causeChain } from '../../contracts/cause-chain';
import { failureTypes, isRetryableFailureType } from '../../contracts/failure-types';
import { toApplicationFailure } from '../../contracts/to-application-failure';
import { isRetryableStatus, retryAfterMs } from './http-retry';
import { MissingApiKeyError } from './missing-api-key-error';
import { CircuitOpenError } from './circuit-open-error';

/**
 * Type of the failure for an error this module does not recognise (a bug, or an AI SDK error new to
 * it). Retryable, as Temporal treats unknown errors, so the route's retry policy bounds it.
 */
export const unexpectedProviderErrorType = failureTypes.providerError;

/** The failure types `toActivityFailure` produces. */
export type ProviderFailureType =
  | (typeof failureTypes)[
      | 'missingApiKey'
      | 'providerRateLimited'
      | 'providerUnavailable'
      | 'providerTimeout'
      | 'providerConnectionFailed'
      | 'providerAuthenticationFailed'
      | 'providerNotFound'
      | 'providerRequestRejected'
      | 'providerInvalidResponse']
  | typeof unexpectedProviderErrorType;

export interface ProviderFailureContext {
  /** The provider kind, as in the model spec. */
  provider: string;
  /** The model id, as in the model spec. */
  model: string;
  /** Longest provider `Retry-After` honoured as the next retry delay; 0 honours none. */
  retryAfterCapMs: number;
  /**
   * The tier has a model after this one: a 429 whose `Retry-After` is beyond the cap is then not retried,
   * so the tier moves on at once instead of retrying too early or waiting past its budget. @default false
   */
  fallbackAvailable?: boolean;
}

/** The failure's single detail, plain JSON. */
export interface ProviderFailureDetails {
  /** The HTTP status the provider answered, `null` when there was no answer. */
  statusCode: number | null;
  provider: string;
  model: string;
  /** The delay the provider asked for (`retry-after-ms` or `Retry-After`), before the cap; `null` if none. */
  retryAfterMs: number | null;
}

/**
 * The one mapping from provider errors to Temporal failures.
 *
 * | error                                                     | type                         | retried                                 |
 * | --------------------------------------------------------- | ---------------------------- | --------------------------------------- |
 * | HTTP 429                                                  | ProviderRateLimited          | yes, after Retry-After, capped (no when |
 * |                                                           |                              | a fallback waits and it is beyond cap)  |
 * | HTTP 408, 409, 5xx (Anthropic 529 included)               | ProviderUnavailable          | yes, after Retry-After, capped, if sent |
 * | HTTP 401, 403                                             | ProviderAuthenticationFailed | no                                      |
 * | HTTP 404                                                  | ProviderNotFound             | no                                      |
 * | HTTP 400, 422, other 4xx                                  | ProviderRequestRejected      | no                                      |
 * | a prompt or setting the AI SDK refuses before sending     | ProviderRequestRejected      | no                                      |
 * | no HTTP answer: connection refused or reset, fetch failed | ProviderConnectionFailed     | yes                                     |
 * | AbortError or TimeoutError, or an error caused by one     | ProviderTimeout              | yes                                     |
 * | HTTP 2xx whose body cannot be read, parse errors          | ProviderInvalidResponse      | yes                                     |
 * | MissingApiKeyError                                        | MissingApiKey                | no                                      |
 * | CircuitOpenError (the worker's breaker refused the call)  | CircuitOpen                  | no                                      |
 * | anything else                                             | ProviderError                | yes                                     |
 *
 * Whether a type is retried comes from the failure registry (`isRetryableFailureType`). The message names provider, model
 * and HTTP status, and quotes the provider's own message with anything that looks like a key or a
 * bearer token removed; the original error is not attached as `cause`, because its message and stack
 * are sent to the Temporal server verbatim.
 */
export function toActivityFailure(error: unknown, context: ProviderFailureContext): ApplicationFailure {
  if (error instanceof ApplicationFailure) return error;
  // Refused by the worker's circuit breaker before any request: its own type, never retried.
  if (CircuitOpenError.isInstance(error)) return toApplicationFailure(error);
  const classification = classify(RetryError.isInstance(error) ? error.lastError : error);
  const { type, statusCode, retryAfterMs: requestedDelayMs } = classification;
  const beyondCap =
    context.fallbackAvailable === true &&
    type === failureTypes.providerRateLimited &&
    requestedDelayMs !== undefined &&
    requestedDelayMs > context.retryAfterCapMs;
  const nonRetryable = !isRetryableFailureType(type) || beyondCap;
  const honouredDelayMs =
    !nonRetryable && requestedDelayMs !== undefined && requestedDelayMs > 0 && context.retryAfterCapMs > 0
      ? Math.min(requestedDelayMs, context.retryAfterCapMs)
      : undefined;
  const details: ProviderFailureDetails = {
    statusCode: statusCode ?? null,
    provider: context.provider,
    model: context.model,
    retryAfterMs: requestedDelayMs ?? null,
  };
  const status = statusCode === undefined ? 'no HTTP status' : `HTTP ${statusCode}`;
  return toApplicationFailure(
    new CascadeError<ProviderFailureType>({
      message: `${context.provider} model ${context.model}: ${summaries[type]} (${status}): ${redact(describe(error))}${beyondCap ? ` (Retry-After ${requestedDelayMs} ms is beyond the ${context.retryAfterCapMs} ms cap: the tier moves to its next model)` : ''}`,
      type,
      nonRetryable,
      details,
      retryAfterMs: honouredDelayMs,
    }),
  );
}

const summaries: Record<ProviderFailureType, string> = {
  [failureTypes.missingApiKey]: 'missing API key',
  [failureTypes.providerRateLimited]: 'rate limited',
  [failureTypes.providerUnavailable]: 'unavailable',
  [failureTypes.providerTimeout]: 'timed out or aborted',
  [failureTypes.providerConnectionFailed]: 'connection failed',
  [failureTypes.providerAuthenticationFailed]: 'authentication failed',
  [failureTypes.providerNotFound]: 'not found',
  [failureTypes.providerRequestRejected]: 'request rejected',
  [failureTypes.providerInvalidResponse]: 'invalid response',
  [unexpectedProviderErrorType]: 'unexpected error',
};

interface Classification {
  type: ProviderFailureType;
  statusCode?: number;
  retryAfterMs?: number;
}

function classify(error: unknown): Classification {
  if (MissingApiKeyError.isInstance(error)) return { type: failureTypes.missingApiKey };
  // An abort may surface bare or wrapped (an APICallError whose cause is the AbortError).
  if (causeChain(error).some(isAbortError)) return { type: failureTypes.providerTimeout };
  if (APICallError.isInstance(error)) return classifyApiCallError(error);
  if (isConnectionError(error)) return { type: failureTypes.providerConnectionFailed };
  if (
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    InvalidResponseDataError.isInstance(error) ||
    NoContentGeneratedError.isInstance(error) ||
    EmptyResponseBodyError.isInstance(error) ||
    NoOutputGeneratedError.isInstance(error)
  ) {
    return { type: failureTypes.providerInvalidResponse };
  }
  if (
    InvalidPromptError.isInstance(error) ||
    // Also matches the `ai` package's InvalidArgumentError (bad call settings): both share one marker.
    InvalidArgumentError.isInstance(error) ||
    UnsupportedFunctionalityError.isInstance(error) ||
    InvalidMessageRoleError.isInstance(error) ||
    MessageConversionError.isInstance(error)
  ) {
    return { type: failureTypes.providerRequestRejected };
  }
  return { type: unexpectedProviderErrorType };
}

function classifyApiCallError(error: APICallError): Classification {
  const statusCode = error.statusCode;
  if (statusCode === undefined) return { type: failureTypes.providerConnectionFailed };
  const retryAfter = retryAfterMs(error.responseHeaders);
  if (statusCode < 400) {
    // A 2xx whose body could not be read; a connection cut while reading it is a connection failure.
    const type = isConnectionError(error)
      ? failureTypes.providerConnectionFailed
      : failureTypes.providerInvalidResponse;
    return { type, statusCode };
  }
  if (statusCode === 429) return { type: failureTypes.providerRateLimited, statusCode, retryAfterMs: retryAfter };
  if (isRetryableStatus(statusCode)) {
    return { type: failureTypes.providerUnavailable, statusCode, retryAfterMs: retryAfter };
  }
  if (statusCode === 401 || statusCode === 403) return { type: failureTypes.providerAuthenticationFailed, statusCode };
  if (statusCode === 404) return { type: failureTypes.providerNotFound, statusCode };
  return { type: failureTypes.providerRequestRejected, statusCode };
}

const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

// undici throws `TypeError('fetch failed')` with the socket error as cause; the AI SDK wraps it in an
// APICallError without status when a cause is present and lets it through bare otherwise.
function isConnectionError(error: unknown): boolean {
  return causeChain(error).some(
    (link) =>
      (link instanceof TypeError && ['fetch failed', 'failed to fetch'].includes(link.message.toLowerCase())) ||
      (typeof link === 'object' && link !== null && networkErrorCodes.has(String((link as { code?: unknown }).code))),
  );
}

function isAbortError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  return name === 'AbortError' || name === 'TimeoutError';
}

function describe(error: unknown): string {
  const messages = causeChain(error)
    .map((link) => (link instanceof Error ? link.message : typeof link === 'string' ? link : ''))
    .filter((message) => message.length > 0);
  const text = [...new Set(messages)].join(': ').replace(/\s+/g, ' ').trim();
  return text.length > 500 ? `${text.slice(0, 500)}...` : text || 'no message';
}

// Provider messages sometimes echo a masked key ("Incorrect API key provided: sk-proj-****abcd").
function redact(text: string): string {
  return text
    .replace(/\bBearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/\b(?:sk|pk|rk|gsk|xai|pplx|csk|key)[-_][A-Za-z0-9_\-*.]{6,}/g, '[redacted]')
    .replace(/\b[A-Za-z0-9_-]{40,}\b/g, '[redacted]');
}

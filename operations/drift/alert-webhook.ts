import type { ApplicationFailure } from '@temporalio/common';
import { CascadeError } from '../../contracts/cascade-error';
import { failureTypes } from '../../contracts/failure-types';
import { toApplicationFailure } from '../../contracts/to-application-failure';
import { ConfigurationError } from '../../config/configuration-error';
import { isRetryableStatus, retryAfterMs } from '../../models/providers/http-retry';

/** How long one POST may take before it counts as unavailable. */
export const defaultAlertWebhookTimeoutMs = 10_000;

/** Longest `Retry-After` of a webhook honoured as the next retry delay. */
export const alertWebhookRetryAfterCapMs = 60_000;

/** The one detail of a webhook failure, plain JSON; it never holds the URL (which may carry a token). */
export interface AlertWebhookFailureDetails {
  /** The HTTP status, `null` when there was no answer. */
  statusCode: number | null;
  /** Scheme, host and port of the webhook. */
  origin: string;
}

/**
 * POSTs one alert as JSON. A 2xx resolves; 408, 409, 429, 5xx, a connection failure or no answer within
 * `timeoutMs` throw a retryable `AlertWebhookUnavailable` (honouring `Retry-After` up to a minute);
 * any other status throws a non-retryable `AlertWebhookRejected`. Messages name the webhook's origin,
 * never its path or query, where tokens live.
 */
export async function postToAlertWebhook(options: {
  url: string;
  body: unknown;
  /** Sent as `Idempotency-Key`, the same on every retry of one alert, so a receiver can drop repeats. */
  idempotencyKey: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default 10 seconds */
  timeoutMs?: number;
  /** Aborts the POST (the activity's cancellation). */
  signal?: AbortSignal;
}): Promise<{ statusCode: number }> {
  const origin = new URL(options.url).origin;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? defaultAlertWebhookTimeoutMs);
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': options.idempotencyKey },
      body: JSON.stringify(options.body),
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const reason = timeout.aborted
      ? `no answer within ${options.timeoutMs ?? defaultAlertWebhookTimeoutMs} ms`
      : describeConnectionError(error);
    throw failure({
      type: failureTypes.alertWebhookUnavailable,
      message: `could not reach the alert webhook at ${origin}: ${reason}`,
      details: { statusCode: null, origin },
    });
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return { statusCode: response.status };

  const answered = `the alert webhook at ${origin} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${text.trim() ? `: ${text.trim().slice(0, 200)}` : ''}`;
  const details = { statusCode: response.status, origin };
  if (isRetryableStatus(response.status)) {
    const delay = retryAfterMs(response.headers);
    throw failure({
      type: failureTypes.alertWebhookUnavailable,
      message: answered,
      details,
      ...(delay !== undefined ? { retryAfterMs: Math.min(delay, alertWebhookRetryAfterCapMs) } : {}),
    });
  }
  throw failure({
    type: failureTypes.alertWebhookRejected,
    message: `${answered} (not retried: check CASCADE_ALERT_WEBHOOK_URL)`,
    details,
  });
}

/**
 * The webhook URL of a worker's configuration, checked once at start. The error names `source` (the
 * variable), never the value.
 */
export function checkAlertWebhookUrl(url: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError({ message: `${source} is not a URL` });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new ConfigurationError({ message: `${source} must be an http or https URL, not ${parsed.protocol}` });
  return url;
}

/** Retried or not as the failure registry says of the type: an unavailable webhook is, a refusal is not. */
function failure(options: {
  type: typeof failureTypes.alertWebhookUnavailable | typeof failureTypes.alertWebhookRejected;
  message: string;
  details: AlertWebhookFailureDetails;
  retryAfterMs?: number;
}): ApplicationFailure {
  return toApplicationFailure(new CascadeError(options));
}

/** `fetch failed` says little; its cause holds the system error (`ECONNREFUSED`, `ENOTFOUND`, ...). */
function describeConnectionError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

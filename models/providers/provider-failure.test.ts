import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APICallError } from '@ai-sdk/provider';
import { ApplicationFailure } from '@temporalio/common';
import { RetryError } from 'ai';
import { failureTypes } from '../../contracts/failure-types';
import type { ModelSpec } from '../../contracts/cascade/route-policy';
import { createAnthropicModelProvider } from './anthropic';
import {
  failingFetch,
  loadFixture,
  replayFetch,
  unansweredFetch,
  type RecordedResponse,
} from './fixtures/replay-fetch';
import { MissingApiKeyError } from './missing-api-key-error';
import type { ModelProvider } from './model-provider';
import { createOpenAIModelProvider } from './openai';
import { createOpenAICompatibleModelProvider } from './openai-compatible';
import { retryAfterMs } from './http-retry';
import { toActivityFailure, unexpectedProviderErrorType, type ProviderFailureDetails } from './provider-failure';

const apiKey = 'sk-test-SECRET-openai-key-0123456789abcdef';
const openAISpec: ModelSpec = { provider: 'openai', model: 'gpt-4o-mini' };
const chat = [{ role: 'user' as const, content: 'What is the capital of France?' }];

/** What a provider call threw. */
async function errorOf(provider: ModelProvider, abortSignal?: AbortSignal): Promise<unknown> {
  try {
    await provider.generate({ messages: chat, abortSignal });
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

function openAIReplaying(response: RecordedResponse): ModelProvider {
  return createOpenAIModelProvider({ spec: openAISpec, apiKey, fetch: replayFetch(response).fetch });
}

async function failureOf(response: RecordedResponse, retryAfterCapMs = 30_000): Promise<ApplicationFailure> {
  const error = await errorOf(openAIReplaying(response));
  return toActivityFailure(error, { provider: 'openai', model: 'gpt-4o-mini', retryAfterCapMs });
}

function detailsOf(failure: ApplicationFailure): ProviderFailureDetails {
  expect(failure.details).toHaveLength(1);
  return failure.details?.[0] as ProviderFailureDetails;
}

describe('toActivityFailure on recorded provider errors', () => {
  it('maps an OpenAI 429 to a retryable ProviderRateLimited whose delay is Retry-After cut to the cap', async () => {
    const rateLimited = loadFixture('openai-429-rate-limited').response;

    const capped = await failureOf(rateLimited, 5000);
    expect(capped.type).toBe(failureTypes.providerRateLimited);
    expect(capped.nonRetryable).toBe(false);
    expect(capped.nextRetryDelay).toBe(5000);
    expect(detailsOf(capped)).toEqual({
      statusCode: 429,
      provider: 'openai',
      model: 'gpt-4o-mini',
      retryAfterMs: 7000,
    });
    expect(capped.message).toContain(
      'openai model gpt-4o-mini: rate limited (HTTP 429): Rate limit reached for gpt-4o-mini',
    );

    const uncapped = await failureOf(rateLimited, 60_000);
    expect(uncapped.nextRetryDelay).toBe(7000);
  });

  it('leaves the delay to the route backoff when a 429 has no Retry-After, or the cap is 0', async () => {
    const { ['retry-after']: _retryAfter, ...headers } = loadFixture('openai-429-rate-limited').response.headers;
    const withoutHeader = await failureOf({ ...loadFixture('openai-429-rate-limited').response, headers });
    expect(withoutHeader.type).toBe(failureTypes.providerRateLimited);
    expect(withoutHeader.nextRetryDelay).toBeUndefined();
    expect(detailsOf(withoutHeader).retryAfterMs).toBeNull();

    const capZero = await failureOf(loadFixture('openai-429-rate-limited').response, 0);
    expect(capZero.nextRetryDelay).toBeUndefined();
  });

  it('maps a 401 to a non-retryable ProviderAuthenticationFailed that leaks neither key nor headers', async () => {
    const failure = await failureOf(loadFixture('openai-401-invalid-api-key').response);

    expect(failure.type).toBe(failureTypes.providerAuthenticationFailed);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.nextRetryDelay).toBeUndefined();
    expect(failure.message).toContain(
      'openai model gpt-4o-mini: authentication failed (HTTP 401): Incorrect API key provided: [redacted]',
    );
    expect(failure.message).not.toContain(apiKey);
    expect(failure.message).not.toMatch(/sk-proj|wxyz|bearer|authorization/i);
    expect(JSON.stringify(failure.details)).not.toContain(apiKey);
  });

  it('maps a 400 to a non-retryable ProviderRequestRejected quoting the provider', async () => {
    const failure = await failureOf(loadFixture('openai-400-context-length').response);

    expect(failure.type).toBe(failureTypes.providerRequestRejected);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('(HTTP 400)');
    expect(failure.message).toContain("This model's maximum context length is 128000 tokens");
    expect(detailsOf(failure).statusCode).toBe(400);
  });

  it('maps a 404 to a non-retryable ProviderNotFound', async () => {
    const failure = await failureOf(loadFixture('openai-404-model-not-found').response);

    expect(failure.type).toBe(failureTypes.providerNotFound);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('The model `gpt-4o-mnii` does not exist');
  });

  it('maps a 500 to a retryable ProviderUnavailable, honouring Retry-After only when sent', async () => {
    const serverError = loadFixture('openai-500-server-error').response;

    const plain = await failureOf(serverError);
    expect(plain.type).toBe(failureTypes.providerUnavailable);
    expect(plain.nonRetryable).toBe(false);
    expect(plain.nextRetryDelay).toBeUndefined();
    expect(plain.message).toContain('(HTTP 500)');

    const withRetryAfter = await failureOf({ ...serverError, headers: { ...serverError.headers, 'retry-after': '2' } });
    expect(withRetryAfter.nextRetryDelay).toBe(2000);
  });

  it('maps an Anthropic 529 overloaded to a retryable ProviderUnavailable', async () => {
    const { fetch } = replayFetch(loadFixture('anthropic-529-overloaded').response);
    const spec: ModelSpec = { provider: 'anthropic', model: 'claude-sonnet-4-20250514' };
    const error = await errorOf(createAnthropicModelProvider({ spec, apiKey: 'sk-ant-test', fetch }));

    const failure = toActivityFailure(error, { provider: 'anthropic', model: spec.model, retryAfterCapMs: 30_000 });

    expect(failure.type).toBe(failureTypes.providerUnavailable);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toBe('anthropic model claude-sonnet-4-20250514: unavailable (HTTP 529): Overloaded');
    expect(detailsOf(failure)).toEqual({
      statusCode: 529,
      provider: 'anthropic',
      model: spec.model,
      retryAfterMs: null,
    });
  });

  it.each([
    [403, failureTypes.providerAuthenticationFailed, true],
    [408, failureTypes.providerUnavailable, false],
    [409, failureTypes.providerUnavailable, false],
    [413, failureTypes.providerRequestRejected, true],
    [422, failureTypes.providerRequestRejected, true],
    [502, failureTypes.providerUnavailable, false],
    [503, failureTypes.providerUnavailable, false],
  ])('maps HTTP %i to %s (nonRetryable %s)', async (status, type, nonRetryable) => {
    const body = { error: { message: `status ${status}`, type: 'error', param: null, code: null } };
    const failure = await failureOf({ status, headers: { 'content-type': 'application/json' }, body });

    expect(failure.type).toBe(type);
    expect(failure.nonRetryable).toBe(nonRetryable);
    expect(detailsOf(failure).statusCode).toBe(status);
  });

  it('maps a 200 whose body is not JSON, or not a completion, to a retryable ProviderInvalidResponse', async () => {
    const html = await failureOf({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html>Bad gateway</html>',
    });
    expect(html.type).toBe(failureTypes.providerInvalidResponse);
    expect(html.nonRetryable).toBe(false);
    expect(detailsOf(html).statusCode).toBe(200);

    const wrongShape = await failureOf({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { choices: 'none' },
    });
    expect(wrongShape.type).toBe(failureTypes.providerInvalidResponse);
  });
});

describe('toActivityFailure without an HTTP answer', () => {
  const context = { provider: 'openai', model: 'gpt-4o-mini', retryAfterCapMs: 5000 };

  it('maps fetch failing with a bare TypeError to a retryable ProviderConnectionFailed', async () => {
    const provider = createOpenAIModelProvider({
      spec: openAISpec,
      apiKey,
      fetch: failingFetch(new TypeError('fetch failed')),
    });

    const failure = toActivityFailure(await errorOf(provider), context);

    expect(failure.type).toBe(failureTypes.providerConnectionFailed);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toBe('openai model gpt-4o-mini: connection failed (no HTTP status): fetch failed');
    expect(detailsOf(failure).statusCode).toBeNull();
  });

  it('maps fetch failing with a socket error as cause (undici) to ProviderConnectionFailed', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const fetch = failingFetch(new TypeError('fetch failed', { cause: refused }));
    const error = await errorOf(createOpenAIModelProvider({ spec: openAISpec, apiKey, fetch }));
    expect(APICallError.isInstance(error)).toBe(true);

    const failure = toActivityFailure(error, context);

    expect(failure.type).toBe(failureTypes.providerConnectionFailed);
    expect(failure.message).toContain('ECONNREFUSED');
  });

  it('maps a real refused connection to ProviderConnectionFailed', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const spec: ModelSpec = { provider: 'openai-compatible', model: 'local', baseUrl: `http://127.0.0.1:${port}/v1` };

    const error = await errorOf(createOpenAICompatibleModelProvider({ spec, apiKey: undefined }));

    expect(toActivityFailure(error, context).type).toBe(failureTypes.providerConnectionFailed);
  });

  it('maps an AbortSignal.timeout abort to a retryable ProviderTimeout', async () => {
    const provider = createOpenAIModelProvider({ spec: openAISpec, apiKey, fetch: unansweredFetch() });

    const failure = toActivityFailure(await errorOf(provider, AbortSignal.timeout(20)), context);

    expect(failure.type).toBe(failureTypes.providerTimeout);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('openai model gpt-4o-mini: timed out or aborted (no HTTP status)');
  });

  it('maps an AbortController abort, and an error caused by one, to ProviderTimeout', async () => {
    const controller = new AbortController();
    const provider = createOpenAIModelProvider({ spec: openAISpec, apiKey, fetch: unansweredFetch() });
    const pending = errorOf(provider, controller.signal);
    controller.abort();

    expect(toActivityFailure(await pending, context).type).toBe(failureTypes.providerTimeout);
    const wrapped = new Error('body read failed', {
      cause: new DOMException('The operation was aborted', 'AbortError'),
    });
    expect(toActivityFailure(wrapped, context).type).toBe(failureTypes.providerTimeout);
  });
});

describe('toActivityFailure on errors raised before any call', () => {
  const context = { provider: 'openai', model: 'gpt-4o-mini', retryAfterCapMs: 5000 };

  it('maps MissingApiKeyError to a non-retryable MissingApiKey naming the variable', () => {
    const failure = toActivityFailure(
      new MissingApiKeyError({ variable: 'OPENAI_API_KEY', provider: 'openai', model: 'gpt-4o-mini' }),
      context,
    );

    expect(failure.type).toBe(failureTypes.missingApiKey);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('OPENAI_API_KEY');
  });

  it('maps a prompt the AI SDK refuses before sending (only system messages) to ProviderRequestRejected', async () => {
    const { fetch, requests } = replayFetch(loadFixture('openai-chat-logprobs').response);
    const provider = createOpenAIModelProvider({ spec: openAISpec, apiKey, fetch });
    let error: unknown;
    try {
      await provider.generate({ messages: [{ role: 'system', content: 'You are terse.' }] });
    } catch (caught) {
      error = caught;
    }

    expect(requests).toHaveLength(0);
    const failure = toActivityFailure(error, context);
    expect(failure.type).toBe(failureTypes.providerRequestRejected);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(
      'openai model gpt-4o-mini: request rejected (no HTTP status): Invalid prompt: messages must not be empty',
    );
  });

  it('unwraps a RetryError and returns an ApplicationFailure unchanged', () => {
    const rateLimited = new APICallError({
      message: 'Too many requests',
      url: 'https://api.openai.com/v1/chat/completions',
      requestBodyValues: {},
      statusCode: 429,
      responseHeaders: { 'retry-after': '3' },
    });
    const retryError = new RetryError({
      message: 'Failed after 1 attempts',
      reason: 'maxRetriesExceeded',
      errors: [rateLimited],
    });
    expect(toActivityFailure(retryError, context)).toMatchObject({
      type: failureTypes.providerRateLimited,
      nextRetryDelay: 3000,
    });

    const already = ApplicationFailure.nonRetryable('already mapped', 'SomethingElse');
    expect(toActivityFailure(already, context)).toBe(already);
  });

  it(`maps an error it does not know to a retryable ${unexpectedProviderErrorType}`, () => {
    const failure = toActivityFailure(new RangeError('Invalid array length'), context);

    expect(failure.type).toBe(unexpectedProviderErrorType);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toBe('openai model gpt-4o-mini: unexpected error (no HTTP status): Invalid array length');
  });

  it('redacts bearer tokens and long key-like strings from any message', () => {
    const error = new Error(
      'proxy said: Authorization: Bearer abc.def.ghi for key 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    );

    const message = toActivityFailure(error, context).message;

    expect(message).not.toContain('abc.def.ghi');
    expect(message).not.toContain('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
    expect(message).toContain('Bearer [redacted]');
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');

  it.each([
    [{ 'retry-after': '7' }, 7000],
    [{ 'Retry-After': '1.5' }, 1500],
    [{ 'retry-after-ms': '250.4', 'retry-after': '7' }, 251],
    [{ 'retry-after': 'Sun, 01 Jun 2025 12:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Sun, 01 Jun 2025 11:59:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after-ms': 'n/a' }, undefined],
    [{}, undefined],
  ])('reads %j as %s ms', (headers, expected) => {
    expect(retryAfterMs(headers, now)).toBe(expected);
  });

  it('reads a Headers object and no headers at all', () => {
    expect(retryAfterMs(new Headers({ 'Retry-After': '12' }), now)).toBe(12_000);
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

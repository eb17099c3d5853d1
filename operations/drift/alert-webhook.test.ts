import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { ConfigurationError } from '../../config/configuration-error';
import { checkAlertWebhookUrl, postToAlertWebhook } from './alert-webhook';

interface ReceivedRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let baseUrl: string;
let received: ReceivedRequest[];
let respond: (response: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, headers: request.headers, body });
      respond(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  received = [];
  respond = (response) => response.writeHead(200).end('ok');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const secretPath = '/services/T000/B000/secret-token-123';

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  const failure = error as ApplicationFailure;
  expect(failure.message).not.toContain('secret-token-123');
  return failure;
}

describe('postToAlertWebhook', () => {
  it('POSTs the body as JSON with the idempotency key', async () => {
    const result = await postToAlertWebhook({
      url: `${baseUrl}${secretPath}`,
      body: { text: 'tickets: ALERT', route: 'tickets' },
      idempotencyKey: 'check-1/run-1',
    });
    expect(result).toEqual({ statusCode: 200 });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: secretPath });
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.headers['idempotency-key']).toBe('check-1/run-1');
    expect(JSON.parse(received[0]?.body ?? '')).toEqual({ text: 'tickets: ALERT', route: 'tickets' });
  });

  it.each([500, 502, 503, 408, 409])(
    'fails %d as retryable AlertWebhookUnavailable, naming the origin only',
    async (status) => {
      respond = (response) => response.writeHead(status).end('try later');
      const failure = await failureOf(
        postToAlertWebhook({ url: `${baseUrl}${secretPath}`, body: {}, idempotencyKey: 'k' }),
      );
      expect(failure.type).toBe('AlertWebhookUnavailable');
      expect(failure.nonRetryable).toBe(false);
      expect(failure.message).toContain(`the alert webhook at ${baseUrl} answered ${status}`);
      expect(failure.message).toContain('try later');
      expect(failure.details).toEqual([{ statusCode: status, origin: baseUrl }]);
    },
  );

  it('honours Retry-After of a 429 as the next retry delay, capped at a minute', async () => {
    respond = (response) => response.writeHead(429, { 'retry-after': '5' }).end();
    expect((await failureOf(postToAlertWebhook({ url: baseUrl, body: {}, idempotencyKey: 'k' }))).nextRetryDelay).toBe(
      5000,
    );
    respond = (response) => response.writeHead(503, { 'retry-after': '3600' }).end();
    expect((await failureOf(postToAlertWebhook({ url: baseUrl, body: {}, idempotencyKey: 'k' }))).nextRetryDelay).toBe(
      60_000,
    );
  });

  it.each([400, 401, 403, 404, 410])('fails %d as non-retryable AlertWebhookRejected', async (status) => {
    respond = (response) => response.writeHead(status).end('invalid_token');
    const failure = await failureOf(
      postToAlertWebhook({ url: `${baseUrl}${secretPath}?token=secret-token-123`, body: {}, idempotencyKey: 'k' }),
    );
    expect(failure.type).toBe('AlertWebhookRejected');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(`answered ${status}`);
    expect(failure.message).toContain('invalid_token');
    expect(failure.message).toContain('CASCADE_ALERT_WEBHOOK_URL');
  });

  it('fails a refused connection as retryable, with the system error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await failureOf(
      postToAlertWebhook({ url: `http://127.0.0.1:${port}${secretPath}`, body: {}, idempotencyKey: 'k' }),
    );
    expect(failure.type).toBe('AlertWebhookUnavailable');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toBe(`could not reach the alert webhook at http://127.0.0.1:${port}: ECONNREFUSED`);
    expect(failure.details).toEqual([{ statusCode: null, origin: `http://127.0.0.1:${port}` }]);
  });

  it('gives up on a webhook that does not answer in time, as retryable', async () => {
    respond = () => undefined;
    const failure = await failureOf(
      postToAlertWebhook({ url: baseUrl, body: {}, idempotencyKey: 'k', timeoutMs: 200 }),
    );
    expect(failure.type).toBe('AlertWebhookUnavailable');
    expect(failure.message).toBe(`could not reach the alert webhook at ${baseUrl}: no answer within 200 ms`);
  });

  it('passes a cancellation on as it is, so the activity reports it as cancelled', async () => {
    respond = () => undefined;
    const controller = new AbortController();
    const posting = postToAlertWebhook({ url: baseUrl, body: {}, idempotencyKey: 'k', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await posting.catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    expect((error as Error).name).toBe('AbortError');
  });
});

describe('checkAlertWebhookUrl', () => {
  it('accepts http and https URLs', () => {
    expect(checkAlertWebhookUrl('https://hooks.example.com/a/b', 'CASCADE_ALERT_WEBHOOK_URL')).toBe(
      'https://hooks.example.com/a/b',
    );
    expect(checkAlertWebhookUrl('http://127.0.0.1:9000/alerts', 'CASCADE_ALERT_WEBHOOK_URL')).toBe(
      'http://127.0.0.1:9000/alerts',
    );
  });

  it.each([
    ['not a URL', 'hooks.example.com/secret-token-123', 'CASCADE_ALERT_WEBHOOK_URL is not a URL'],
    [
      'another scheme',
      'ftp://example.com/secret-token-123',
      'CASCADE_ALERT_WEBHOOK_URL must be an http or https URL, not ftp:',
    ],
  ])('refuses %s, naming the variable and not the value', (_label, url, message) => {
    const error = (() => {
      try {
        checkAlertWebhookUrl(url, 'CASCADE_ALERT_WEBHOOK_URL');
        return undefined;
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(message);
    expect((error as ConfigurationError).type).toBe('InvalidConfiguration');
  });
});

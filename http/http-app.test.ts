import { Writable } from 'node:stream';
import pino from 'pino';
import { createHttpApp, methodNotAllowed } from './http-app';
import { startHttpServer, type RunningHttpServer } from './http-server';
import { RefusedRequestError } from './refused-request';

describe('createHttpApp', () => {
  const logLines: string[] = [];
  let server: RunningHttpServer;

  beforeAll(async () => {
    const logDestination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    const app = createHttpApp({ logger: pino(logDestination), internalErrorMessage: 'the test server failed' });
    app.get('/items', (context) => context.json({ items: [] }));
    app.all('/items', methodNotAllowed('GET'));
    app.get('/refused', () => {
      throw new RefusedRequestError({ status: 422, message: 'the item is sold out', code: 'sold_out', param: 'item' });
    });
    app.get('/broken', () => {
      throw new Error('a bug');
    });
    server = await startHttpServer({ fetch: app.fetch });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers an unknown route with a 404 naming it, in OpenAI error shape', async () => {
    const response = await fetch(`${server.origin}/nowhere?x=1`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({
      error: { message: 'no route POST /nowhere', type: 'invalid_request_error', param: null, code: 'not_found' },
    });
  });

  it('answers another method of a known route with a 405 and Allow', async () => {
    expect((await fetch(`${server.origin}/items`)).status).toBe(200);
    const response = await fetch(`${server.origin}/items`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(await response.json()).toEqual({
      error: {
        message: '/items accepts GET only',
        type: 'invalid_request_error',
        param: null,
        code: 'method_not_allowed',
      },
    });
  });

  it('answers a RefusedRequestError with its status, code and param', async () => {
    const response = await fetch(`${server.origin}/refused`);
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: { message: 'the item is sold out', type: 'invalid_request_error', param: 'item', code: 'sold_out' },
    });
  });

  it('answers any other failure with a logged 500 that does not leak the error', async () => {
    const response = await fetch(`${server.origin}/broken`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { message: 'the test server failed', type: 'server_error', param: null, code: 'internal_error' },
    });
    const logged = logLines.map((line) => JSON.parse(line) as { msg: string; path: string; err: { message: string } });
    expect(logged).toContainEqual(
      expect.objectContaining({
        msg: 'HTTP request failed',
        path: '/broken',
        err: expect.objectContaining({ message: 'a bug' }),
      }),
    );
  });
});

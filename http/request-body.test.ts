import { createHttpApp } from './http-app';
import { startHttpServer, type RunningHttpServer } from './http-server';
import { limitRequestBody, readJsonBody } from './request-body';

/** A body sent without Content-Length, in two chunks. */
function streamed(text: string): RequestInit {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.subarray(0, 5));
      controller.enqueue(bytes.subarray(5));
      controller.close();
    },
  });
  return { method: 'POST', body, duplex: 'half' } as RequestInit;
}

describe('request bodies', () => {
  const refusedPaths: string[] = [];
  let server: RunningHttpServer;

  beforeAll(async () => {
    const app = createHttpApp();
    app.post(
      '/echo',
      limitRequestBody({ limitBytes: 20, onRefused: (context) => refusedPaths.push(context.req.path) }),
      async (context) => context.json({ got: await readJsonBody(context) }),
    );
    server = await startHttpServer({ fetch: app.fetch });
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    refusedPaths.length = 0;
  });

  it('reads a JSON body up to the limit, sent with or without Content-Length', async () => {
    const atLimit = '{"text":"012345678"}';
    expect(new TextEncoder().encode(atLimit)).toHaveLength(20);
    for (const init of [{ method: 'POST', body: atLimit }, streamed(atLimit)]) {
      const response = await fetch(`${server.origin}/echo`, init);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ got: JSON.parse(atLimit) });
    }
    expect(refusedPaths).toEqual([]);
  });

  it('refuses a body over the limit with a 413, sent with or without Content-Length', async () => {
    const tooLarge = JSON.stringify({ text: 'x'.repeat(30) });
    for (const init of [{ method: 'POST', body: tooLarge }, streamed(tooLarge)]) {
      const response = await fetch(`${server.origin}/echo`, init);
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        error: {
          message: 'the request body is larger than 20 bytes',
          type: 'invalid_request_error',
          param: null,
          code: 'request_too_large',
        },
      });
    }
    expect(refusedPaths).toEqual(['/echo', '/echo']);
  });

  it('answers a body that is not JSON with a 400 invalid_json', async () => {
    for (const body of ['{"text": ', '']) {
      const response = await fetch(`${server.origin}/echo`, { method: 'POST', body });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          message: 'the request body is not valid JSON',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_json',
        },
      });
    }
  });
});

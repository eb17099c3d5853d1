import { createModelServer, type ModelServer } from './model-server';
import { postChatCompletion, userPrompt, type ErrorResponse } from './test-support';

describe('fault sequences over HTTP', () => {
  let server: ModelServer;
  let url: string;

  beforeAll(async () => {
    server = createModelServer({
      models: [
        {
          id: 'flagship',
          rules: [
            {
              whenContains: 'rate-limited',
              respond: { text: 'answered after the limit', faults: [{ status: 429, retryAfterSeconds: 1, times: 2 }] },
            },
            {
              whenContains: 'broken',
              respond: {
                text: 'answered after the outage',
                faults: [{ status: 500, times: 1, message: 'upstream exploded' }],
              },
            },
            { whenContains: 'hang', respond: { text: 'answered after the hang', faults: [{ hang: true, times: 1 }] } },
          ],
          default: { text: 'plain answer' },
        },
      ],
    });
    ({ url } = await server.start());
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers 429 with Retry-After twice, then 200, for its own prompt only', async () => {
    const prompt = userPrompt('flagship', 'rate-limited: test one');
    const first: ErrorResponse = await postChatCompletion({ url, body: prompt });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(first.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });

    // Another prompt of the same rule keeps its own count.
    const otherPrompt = await postChatCompletion({ url, body: userPrompt('flagship', 'rate-limited: test two') });
    expect(otherPrompt.status).toBe(429);

    const second = await postChatCompletion({ url, body: prompt });
    expect(second.status).toBe(429);
    const third = await postChatCompletion({ url, body: prompt });
    expect(third.status).toBe(200);
    expect(third.headers.get('retry-after')).toBeNull();
    expect(third.body.choices[0]!.message.content).toBe('answered after the limit');
  });

  it('answers 500 with the scripted message once, then the answer', async () => {
    const prompt = userPrompt('flagship', 'broken: test');
    const failed: ErrorResponse = await postChatCompletion({ url, body: prompt });
    expect(failed.status).toBe(500);
    expect(failed.body.error).toEqual({
      message: 'upstream exploded',
      type: 'server_error',
      param: null,
      code: 'internal_error',
    });
    expect((await postChatCompletion({ url, body: prompt })).status).toBe(200);
  });

  it("starts a prompt's faults over after a reset", async () => {
    const prompt = userPrompt('flagship', 'broken: reset test');
    expect((await postChatCompletion({ url, body: prompt })).status).toBe(500);
    expect((await postChatCompletion({ url, body: prompt })).status).toBe(200);
    server.reset();
    expect((await postChatCompletion({ url, body: prompt })).status).toBe(500);
  });

  it('holds a hung call open until the client gives up, then answers the next call', async () => {
    const prompt = userPrompt('flagship', 'hang: client timeout');
    const startedAt = Date.now();
    await expect(postChatCompletion({ url, body: prompt, signal: AbortSignal.timeout(300) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
    const hung = server.callCounts().log.find((entry) => entry.status === null);
    expect(hung?.model).toBe('flagship');

    const next = await postChatCompletion({ url, body: prompt });
    expect(next.body.choices[0]!.message.content).toBe('answered after the hang');
  });
});

/** Stops the server once it holds `call`: how long `stop()` took, and whether the call was answered or cut. */
async function stopDuringCall(
  server: ModelServer,
  call: Promise<unknown>,
): Promise<{ stopMs: number; outcome: 'answered' | 'cut' }> {
  const outcome = call.then(
    () => 'answered' as const,
    () => 'cut' as const,
  );
  while (server.callCounts().total === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const stoppingAt = Date.now();
  await server.stop();
  return { stopMs: Date.now() - stoppingAt, outcome: await outcome };
}

describe('stop() with a hung call', () => {
  it('returns quickly and cuts the hung connection', async () => {
    const server = createModelServer({
      models: [{ id: 'stuck', default: { text: 'never', faults: [{ hang: true, times: 1 }] } }],
    });
    const { url } = await server.start();
    const { stopMs, outcome } = await stopDuringCall(
      server,
      postChatCompletion({ url, body: userPrompt('stuck', 'anything'), signal: AbortSignal.timeout(30_000) }),
    );
    expect(stopMs).toBeLessThan(1000);
    expect(outcome).toBe('cut');
    await expect(fetch(`${url}/models`)).rejects.toThrow();
  });

  it('does not wait for an answer still in its latency', async () => {
    const server = createModelServer({ models: [{ id: 'slow', latencyMs: 20_000, default: { text: 'late' } }] });
    const { url } = await server.start();
    const { stopMs, outcome } = await stopDuringCall(
      server,
      postChatCompletion({ url, body: userPrompt('slow', 'anything') }),
    );
    expect(stopMs).toBeLessThan(1000);
    expect(outcome).toBe('cut');
  });
});

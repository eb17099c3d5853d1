import { createModelServer, type CallCounts, type ModelServer } from './model-server';
import { postChatCompletion, userPrompt, type ErrorResponse } from './test-support';

describe('model server over HTTP', () => {
  let server: ModelServer;
  let url: string;

  beforeAll(async () => {
    server = createModelServer({
      models: [
        { id: 'cheap', default: { text: 'Paris is the capital.', logprob: -0.25 } },
        { id: 'flagship', default: { text: 'The capital of France is Paris.' } },
      ],
    });
    ({ url } = await server.start());
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    server.reset();
  });

  it('starts on 127.0.0.1 with a free port and a /v1 base URL', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(url).not.toMatch(/:0\/v1$/);
  });

  it('answers in the Chat Completions shape with logprobs and usage', async () => {
    const response = await postChatCompletion({
      url,
      body: { ...userPrompt('cheap', 'What is the capital of France?'), logprobs: true },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      object: 'chat.completion',
      model: 'cheap',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Paris is the capital.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 8, completion_tokens: 5, total_tokens: 13 },
    });
    expect(response.body.id).toMatch(/^chatcmpl-/);
    expect(Math.abs(response.body.created - Date.now() / 1000)).toBeLessThan(60);
    expect(response.body.choices[0]!.logprobs).toEqual({
      content: ['Paris', ' is', ' the', ' capital', '.'].map((token) => ({
        token,
        logprob: -0.25,
        bytes: null,
        top_logprobs: [],
      })),
    });
  });

  it('uses the default logprob of -0.05 when the behaviour sets none', async () => {
    const response = await postChatCompletion({ url, body: { ...userPrompt('flagship', 'capital?'), logprobs: true } });
    const logprobs = response.body.choices[0]!.logprobs!.content.map((entry) => entry.logprob);
    expect(logprobs).toHaveLength(7);
    expect(new Set(logprobs)).toEqual(new Set([-0.05]));
  });

  it('returns no logprobs unless asked', async () => {
    const response = await postChatCompletion({ url, body: userPrompt('cheap', 'capital?') });
    expect(response.status).toBe(200);
    expect(response.body.choices[0]!.logprobs).toBeNull();
  });

  it('gives the token itself as its only alternative when top_logprobs is asked', async () => {
    const response = await postChatCompletion({
      url,
      body: { ...userPrompt('cheap', 'capital?'), logprobs: true, top_logprobs: 3 },
    });
    expect(response.body.choices[0]!.logprobs!.content[0]!.top_logprobs).toEqual([
      { token: 'Paris', logprob: -0.25, bytes: null },
    ]);
  });

  it('cuts the answer at max_tokens or max_completion_tokens with finish_reason length', async () => {
    const byMaxTokens = await postChatCompletion({ url, body: { ...userPrompt('cheap', 'capital?'), max_tokens: 2 } });
    expect(byMaxTokens.body.choices[0]).toMatchObject({ message: { content: 'Paris is' }, finish_reason: 'length' });
    expect(byMaxTokens.body.usage.completion_tokens).toBe(2);
    const byMaxCompletionTokens = await postChatCompletion({
      url,
      body: { ...userPrompt('cheap', 'capital?'), max_tokens: 50, max_completion_tokens: 3 },
    });
    expect(byMaxCompletionTokens.body.choices[0]!.message.content).toBe('Paris is the');
  });

  it('lists the models it serves', async () => {
    const response = await fetch(`${url}/models`);
    const body = (await response.json()) as { object: string; data: { id: string; object: string }[] };
    expect(response.status).toBe(200);
    expect(body.object).toBe('list');
    expect(body.data.map((model) => model.id).sort()).toEqual(['cheap', 'flagship']);
    expect(body.data.every((model) => model.object === 'model')).toBe(true);
  });

  it('answers an unknown model with a 404 in OpenAI error shape naming the model', async () => {
    const response: ErrorResponse = await postChatCompletion({ url, body: userPrompt('gpt-nonexistent', 'hello') });
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
    });
    expect(response.body.error.message).toContain('"gpt-nonexistent"');
    expect(response.body.error.message).toContain('cheap, flagship');
  });

  it('refuses streaming with a clear 400', async () => {
    const response: ErrorResponse = await postChatCompletion({
      url,
      body: { ...userPrompt('cheap', 'hello'), stream: true },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'streaming_unsupported', param: 'stream' });
    expect(response.body.error.message).toContain('stream: true is not supported');
  });

  it('answers a malformed request with a 400 naming the field', async () => {
    const badRole: ErrorResponse = await postChatCompletion({
      url,
      body: { model: 'cheap', messages: [{ role: 'wizard', content: 'hi' }] },
    });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error).toMatchObject({ type: 'invalid_request_error', param: 'messages.0.role' });
    const orphanTopLogprobs: ErrorResponse = await postChatCompletion({
      url,
      body: { ...userPrompt('cheap', 'hi'), top_logprobs: 2 },
    });
    expect(orphanTopLogprobs.body.error.message).toBe('top_logprobs: requires logprobs: true');
    const notJson: ErrorResponse = await postChatCompletion({ url, body: '{"model": ' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
  });

  it('answers unknown routes with 404 and wrong methods with 405', async () => {
    const unknown = await fetch(`${url}/embeddings`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    const wrongMethod = await fetch(`${url}/chat/completions`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('counts every call by model, in /admin/calls and callCounts(), until reset', async () => {
    await postChatCompletion({ url, body: userPrompt('cheap', 'first') });
    await postChatCompletion({ url, body: userPrompt('flagship', 'first') });
    await postChatCompletion({ url, body: userPrompt('cheap', 'second') });
    await postChatCompletion({ url, body: userPrompt('unknown-model', 'third') });

    const adminUrl = url.replace(/\/v1$/, '/admin');
    const fromHttp = (await (await fetch(`${adminUrl}/calls`)).json()) as CallCounts;
    expect(fromHttp.total).toBe(4);
    expect(fromHttp.byModel).toEqual({ cheap: 2, flagship: 1, 'unknown-model': 1 });
    expect(fromHttp.log.map((entry) => [entry.model, entry.status])).toEqual([
      ['cheap', 200],
      ['flagship', 200],
      ['cheap', 200],
      ['unknown-model', 404],
    ]);
    expect(fromHttp.log[0]!.promptKey).toMatch(/^[0-9a-f]{64}$/);
    expect(fromHttp.log[0]!.promptKey).not.toBe(fromHttp.log[2]!.promptKey);
    expect(Date.parse(fromHttp.log[0]!.at)).not.toBeNaN();
    expect(server.callCounts()).toEqual(fromHttp);

    const reset = await fetch(`${adminUrl}/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(server.callCounts()).toEqual({ total: 0, byModel: {}, log: [] });

    await postChatCompletion({ url, body: userPrompt('cheap', 'after reset') });
    server.reset();
    expect(server.callCounts().total).toBe(0);
  });

  it('refuses a second start', async () => {
    await expect(server.start()).rejects.toThrow('already started');
  });
});

describe('model server with an API key', () => {
  let server: ModelServer;
  let url: string;

  beforeAll(async () => {
    server = createModelServer({ apiKey: 'local-secret', models: [{ id: 'cheap', default: { text: 'ok' } }] });
    ({ url } = await server.start());
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers 401 without the key or with a wrong one, and counts the call', async () => {
    const missing: ErrorResponse = await postChatCompletion({ url, body: userPrompt('cheap', 'hello') });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('invalid_api_key');
    const wrong = await postChatCompletion({ url, body: userPrompt('cheap', 'hello'), apiKey: 'guess' });
    expect(wrong.status).toBe(401);
    expect(server.callCounts().log.map((entry) => entry.status)).toEqual([401, 401]);
  });

  it('answers with the key', async () => {
    const response = await postChatCompletion({ url, body: userPrompt('cheap', 'hello'), apiKey: 'local-secret' });
    expect(response.status).toBe(200);
    expect(response.body.choices[0]!.message.content).toBe('ok');
  });

  it('guards the model list too, but not the admin endpoints', async () => {
    expect((await fetch(`${url}/models`)).status).toBe(401);
    expect((await fetch(`${url}/models`, { headers: { authorization: 'Bearer local-secret' } })).status).toBe(200);
    expect((await fetch(url.replace(/\/v1$/, '/admin/calls'))).status).toBe(200);
  });
});

import type { ModelSpec } from '../../contracts/cascade/route-policy';
import { createModelServer } from '../../local-stack/model-server/model-server';
import { loadFixture, replayFetch } from './fixtures/replay-fetch';
import { createOpenAIModelProvider } from './openai';

const apiKey = 'sk-test-openai-key-from-environment';
const chat = [
  { role: 'system' as const, content: 'Answer in one sentence.' },
  { role: 'user' as const, content: 'What is the capital of France?' },
];

describe('openai adapter', () => {
  it('asks for logprobs when the spec does and returns them with the usage the provider reported', async () => {
    const { fetch, requests } = replayFetch(loadFixture('openai-chat-logprobs').response);
    const spec: ModelSpec = {
      provider: 'openai',
      model: 'gpt-4o-mini',
      logprobs: true,
      maxOutputTokens: 64,
      temperature: 0,
    };
    const provider = createOpenAIModelProvider({ spec, apiKey, fetch });

    const result = await provider.generate({ messages: chat });

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request.url).toBe('https://api.openai.com/v1/chat/completions');
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request.body).toMatchObject({
      model: 'gpt-4o-mini',
      logprobs: true,
      max_tokens: 64,
      temperature: 0,
      messages: [
        { role: 'system', content: 'Answer in one sentence.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    });

    expect(result.text).toBe('The capital of France is Paris.');
    expect(result.finishReason).toBe('stop');
    expect(result.modelId).toBe('gpt-4o-mini-2024-07-18');
    expect(result.usage).toEqual({ inputTokens: 1152, outputTokens: 7, cachedInputTokens: 1024, reasoningTokens: 0 });
    expect(result.logprobs).toHaveLength(7);
    expect(result.logprobs?.[5]).toEqual({ token: ' Paris', logprob: -0.0000010280384 });
    expect(result.logprobs?.map((entry) => entry.token).join('')).toBe(result.text);
  });

  it('neither asks for nor returns logprobs when the spec does not want them', async () => {
    const { fetch, requests } = replayFetch(loadFixture('openai-chat-logprobs').response);
    const provider = createOpenAIModelProvider({ spec: { provider: 'openai', model: 'gpt-4o-mini' }, apiKey, fetch });

    const result = await provider.generate({ messages: chat });

    expect(requests[0].body).not.toHaveProperty('logprobs');
    expect(requests[0].body).not.toHaveProperty('max_tokens');
    expect(requests[0].body).not.toHaveProperty('temperature');
    expect(result.logprobs).toBeUndefined();
  });

  it('reports reasoning tokens of a reasoning model', async () => {
    const { fetch } = replayFetch(loadFixture('openai-chat-reasoning').response);
    const provider = createOpenAIModelProvider({ spec: { provider: 'openai', model: 'o4-mini' }, apiKey, fetch });

    const result = await provider.generate({ messages: [{ role: 'user', content: 'What is 17 times 23?' }] });

    expect(result.usage).toEqual({ inputTokens: 31, outputTokens: 210, cachedInputTokens: 0, reasoningTokens: 192 });
    expect(result.modelId).toBe('o4-mini-2025-04-16');
  });

  it('returns a refusal as the answer text, with its logprobs, finished by the content filter', async () => {
    const { fetch } = replayFetch(loadFixture('openai-chat-refusal').response);
    const spec: ModelSpec = { provider: 'openai', model: 'gpt-4o-mini', logprobs: true };

    const result = await createOpenAIModelProvider({ spec, apiKey, fetch }).generate({ messages: chat });

    expect(result.text).toBe("I can't help with that.");
    expect(result.finishReason).toBe('content-filter');
    expect(result.logprobs?.map((entry) => entry.token).join('')).toBe(result.text);
    expect(result.usage).toEqual({ inputTokens: 19, outputTokens: 6, cachedInputTokens: 0, reasoningTokens: 0 });
  });

  it('makes a single HTTP call when the provider fails retryably: Temporal owns retries', async () => {
    const { fetch, requests } = replayFetch(loadFixture('openai-500-server-error').response);
    const provider = createOpenAIModelProvider({ spec: { provider: 'openai', model: 'gpt-4o-mini' }, apiKey, fetch });

    await expect(provider.generate({ messages: chat })).rejects.toMatchObject({ statusCode: 500, isRetryable: true });
    expect(requests).toHaveLength(1);
  });

  it('asks for topLogprobs alternatives per token and returns them, best first, with each token', async () => {
    const { fetch, requests } = replayFetch(loadFixture('openai-chat-top-logprobs').response);
    const spec: ModelSpec = { provider: 'openai', model: 'gpt-4o-mini', logprobs: true, topLogprobs: 3 };

    const result = await createOpenAIModelProvider({ spec, apiKey, fetch }).generate({ messages: chat });

    expect(requests[0].body).toMatchObject({ logprobs: true, top_logprobs: 3 });
    expect(result.text).toBe('B.');
    expect(result.logprobs).toEqual([
      {
        token: 'B',
        logprob: -0.0011893,
        topLogprobs: [
          { token: 'B', logprob: -0.0011893 },
          { token: 'C', logprob: -6.876189 },
          { token: 'D', logprob: -9.001189 },
        ],
      },
      {
        token: '.',
        logprob: -0.6931547,
        topLogprobs: [
          { token: '.', logprob: -0.6931547 },
          { token: '<|end|>', logprob: -0.6931547 },
          { token: '\n', logprob: -4.8181543 },
        ],
      },
    ]);
  });

  it('sends top_logprobs 0 and keeps no topLogprobs when the spec asks for logprobs only', async () => {
    const { fetch, requests } = replayFetch(loadFixture('openai-chat-logprobs').response);
    const result = await createOpenAIModelProvider({
      spec: { provider: 'openai', model: 'gpt-4o-mini', logprobs: true },
      apiKey,
      fetch,
    }).generate({ messages: chat });

    expect(requests[0].body).toMatchObject({ logprobs: true, top_logprobs: 0 });
    expect(result.logprobs?.some((entry) => 'topLogprobs' in entry)).toBe(false);
  });

  it("reads a scripted model's alternatives from the local model server, at most topLogprobs of them", async () => {
    const server = createModelServer({
      apiKey,
      models: [
        {
          id: 'letters',
          default: {
            text: '(A)',
            logprob: -0.05,
            alternatives: [
              { token: 'C', logprob: -3.5 },
              { token: 'B', logprob: -1.25 },
            ],
          },
        },
      ],
    });
    const { url } = await server.start();
    try {
      const spec: ModelSpec = { provider: 'openai', model: 'letters', baseUrl: url, logprobs: true, topLogprobs: 2 };
      const result = await createOpenAIModelProvider({ spec, apiKey }).generate({
        messages: [{ role: 'user', content: 'Which letter?' }],
      });
      expect(result.logprobs).toEqual([
        { token: '(', logprob: -0.05, topLogprobs: [{ token: '(', logprob: -0.05 }] },
        {
          token: 'A',
          logprob: -0.05,
          topLogprobs: [
            { token: 'A', logprob: -0.05 },
            { token: 'B', logprob: -1.25 },
          ],
        },
        { token: ')', logprob: -0.05, topLogprobs: [{ token: ')', logprob: -0.05 }] },
      ]);
    } finally {
      await server.stop();
    }
  });

  it('calls an OpenAI-compatible server at spec.baseUrl', async () => {
    const { fetch, requests } = replayFetch(loadFixture('openai-chat-logprobs').response);
    const spec: ModelSpec = {
      provider: 'openai',
      model: 'qwen2.5-7b-instruct',
      baseUrl: 'http://127.0.0.1:8000/v1',
      logprobs: true,
    };

    await createOpenAIModelProvider({ spec, apiKey, fetch }).generate({ messages: chat });

    expect(requests[0].url).toBe('http://127.0.0.1:8000/v1/chat/completions');
  });
});

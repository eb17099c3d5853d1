import type { ModelSpec } from '../../contracts/cascade/route-policy';
import { loadFixture, replayFetch } from './fixtures/replay-fetch';
import { createOpenAICompatibleModelProvider } from './openai-compatible';

const spec: ModelSpec = {
  provider: 'openai-compatible',
  model: 'llama-3.1-8b-instant',
  baseUrl: 'https://api.groq.com/openai/v1',
  logprobs: true,
  maxOutputTokens: 128,
};
const chat = [{ role: 'user' as const, content: 'What is the capital of France?' }];

describe('openai-compatible adapter', () => {
  it('posts to the base URL with the key and normalises the answer', async () => {
    const { fetch, requests } = replayFetch(loadFixture('groq-chat').response);
    const provider = createOpenAICompatibleModelProvider({ spec, apiKey: 'gsk_test_groq_key', fetch });

    const result = await provider.generate({ messages: chat });

    expect(requests).toHaveLength(1);
    expect(requests[0].url).toBe('https://api.groq.com/openai/v1/chat/completions');
    expect(requests[0].headers.authorization).toBe('Bearer gsk_test_groq_key');
    expect(requests[0].body).toMatchObject({ model: 'llama-3.1-8b-instant', max_tokens: 128, messages: chat });
    // This library never asks for log-probabilities, even when the spec wants them.
    expect(requests[0].body).not.toHaveProperty('logprobs');

    expect(result).toEqual({
      text: 'Paris is the capital of France.',
      finishReason: 'stop',
      modelId: 'llama-3.1-8b-instant',
      // Groq reports no cached or reasoning tokens: undefined, not the 0 the AI SDK fills in.
      usage: { inputTokens: 48, outputTokens: 8, cachedInputTokens: undefined, reasoningTokens: undefined },
      logprobs: undefined,
    });
  });

  it('sends no Authorization header without a key', async () => {
    const { fetch, requests } = replayFetch(loadFixture('groq-chat').response);
    const provider = createOpenAICompatibleModelProvider({ spec, apiKey: undefined, fetch });

    await provider.generate({ messages: chat });

    expect(requests[0].headers).not.toHaveProperty('authorization');
  });

  it('refuses a spec without baseUrl', () => {
    const { fetch } = replayFetch(loadFixture('groq-chat').response);
    expect(() =>
      createOpenAICompatibleModelProvider({
        spec: { provider: 'openai-compatible', model: 'local' },
        apiKey: undefined,
        fetch,
      }),
    ).toThrow('ModelSpec.baseUrl is required for provider openai-compatible (model local)');
  });
});

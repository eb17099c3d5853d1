import type { ModelSpec } from '../../contracts/cascade/route-policy';
import { createAnthropicModelProvider } from './anthropic';
import { loadFixture, replayFetch } from './fixtures/replay-fetch';

const apiKey = 'sk-ant-test-key-from-environment';

describe('anthropic adapter', () => {
  it('posts to the Messages API with the key and the system prompt apart, and normalises the answer', async () => {
    const { fetch, requests } = replayFetch(loadFixture('anthropic-messages').response);
    const spec: ModelSpec = {
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      maxOutputTokens: 256,
      temperature: 0.2,
    };
    const provider = createAnthropicModelProvider({ spec, apiKey, fetch });

    const result = await provider.generate({
      messages: [
        { role: 'system', content: 'Answer in one sentence.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    });

    expect(requests).toHaveLength(1);
    expect(requests[0].url).toBe('https://api.anthropic.com/v1/messages');
    expect(requests[0].headers['x-api-key']).toBe(apiKey);
    expect(requests[0].headers).not.toHaveProperty('authorization');
    expect(requests[0].body).toMatchObject({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 256,
      temperature: 0.2,
      system: [{ type: 'text', text: 'Answer in one sentence.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the capital of France?' }] }],
    });

    expect(result.text).toBe('The capital of France is Paris.');
    expect(result.finishReason).toBe('stop');
    expect(result.modelId).toBe('claude-sonnet-4-20250514');
    // input_tokens 23 + cache reads 2048 + cache writes 0: cached tokens are part of the input, as with OpenAI.
    expect(result.usage).toEqual({
      inputTokens: 2071,
      outputTokens: 11,
      cachedInputTokens: 2048,
      reasoningTokens: undefined,
    });
    expect(result.logprobs).toBeUndefined();
  });
});

describe('anthropic adapter with a system message after the first turn', () => {
  it('sends leading system messages as the system prompt and a later one in place, under the library beta', async () => {
    const { fetch, requests } = replayFetch(loadFixture('anthropic-messages').response);
    const provider = createAnthropicModelProvider({
      spec: { provider: 'anthropic', model: 'claude-sonnet-4-20250514' },
      apiKey,
      fetch,
    });

    await provider.generate({
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'system', content: 'Now answer in French.' },
        { role: 'user', content: 'Capital of France?' },
      ],
    });

    expect(requests[0].body.system).toEqual([{ type: 'text', text: 'Be terse.' }]);
    expect(requests[0].body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello.' }] },
      { role: 'system', content: [{ type: 'text', text: 'Now answer in French.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] },
    ]);
    expect(requests[0].headers['anthropic-beta']).toBe('mid-conversation-system-2026-04-07');
  });
});

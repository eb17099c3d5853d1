import type { ModelSpec } from '../../contracts/cascade/route-policy';
import { failureTypes } from '../../contracts/failure-types';
import { apiKeyVariable, checkApiKeys, createModelProvider } from './create-model-provider';
import { loadFixture, replayFetch } from './fixtures/replay-fetch';
import { MissingApiKeyError } from './missing-api-key-error';

const chat = [{ role: 'user' as const, content: 'What is the capital of France?' }];
const groqSpec: ModelSpec = {
  provider: 'openai-compatible',
  model: 'llama-3.1-8b-instant',
  baseUrl: 'https://api.groq.com/openai/v1',
};

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

describe('createModelProvider', () => {
  it('sends the key read from the environment object, under the variable the spec names', async () => {
    const { fetch, requests } = replayFetch(loadFixture('openai-chat-logprobs').response);
    const spec: ModelSpec = { provider: 'openai', model: 'gpt-4o-mini', apiKeyEnv: 'CHEAP_TIER_KEY' };
    const provider = createModelProvider(spec, {
      environment: { CHEAP_TIER_KEY: 'sk-from-cheap-tier', OPENAI_API_KEY: 'sk-conventional' },
      fetch,
    });

    await provider.generate({ messages: chat });

    expect(provider.spec).toBe(spec);
    expect(requests[0].headers.authorization).toBe('Bearer sk-from-cheap-tier');
  });

  it('reads OPENAI_API_KEY and ANTHROPIC_API_KEY from the environment object when the spec names no variable', async () => {
    const openAI = replayFetch(loadFixture('openai-chat-logprobs').response);
    await createModelProvider(
      { provider: 'openai', model: 'gpt-4o-mini' },
      { environment: { OPENAI_API_KEY: 'sk-openai' }, fetch: openAI.fetch },
    ).generate({
      messages: chat,
    });
    expect(openAI.requests[0].headers.authorization).toBe('Bearer sk-openai');

    const anthropic = replayFetch(loadFixture('anthropic-messages').response);
    await createModelProvider(
      { provider: 'anthropic', model: 'claude-sonnet-4-20250514' },
      { environment: { ANTHROPIC_API_KEY: 'sk-ant-anthropic' }, fetch: anthropic.fetch },
    ).generate({ messages: chat });
    expect(anthropic.requests[0].headers['x-api-key']).toBe('sk-ant-anthropic');
  });

  it('never falls back to process.env, for the key or the base URL', async () => {
    const saved = { key: process.env.OPENAI_API_KEY, baseUrl: process.env.OPENAI_BASE_URL };
    process.env.OPENAI_API_KEY = 'sk-from-process-env';
    process.env.OPENAI_BASE_URL = 'http://wrong.example/v1';
    try {
      const { fetch, requests } = replayFetch(loadFixture('openai-chat-logprobs').response);
      const spec: ModelSpec = { provider: 'openai', model: 'gpt-4o-mini' };

      expect(() => createModelProvider(spec, { environment: {}, fetch })).toThrow(MissingApiKeyError);
      await createModelProvider(spec, {
        environment: { OPENAI_API_KEY: 'sk-from-environment-object' },
        fetch,
      }).generate({ messages: chat });
      expect(requests[0].url).toBe('https://api.openai.com/v1/chat/completions');
      expect(requests[0].headers.authorization).toBe('Bearer sk-from-environment-object');
    } finally {
      for (const [name, value] of [
        ['OPENAI_API_KEY', saved.key],
        ['OPENAI_BASE_URL', saved.baseUrl],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('throws MissingApiKeyError naming the variable and the model when the key is unset or empty', () => {
    const spec: ModelSpec = { provider: 'anthropic', model: 'claude-sonnet-4-20250514', apiKeyEnv: 'FLAGSHIP_KEY' };

    for (const environment of [{}, { FLAGSHIP_KEY: '' }, { FLAGSHIP_KEY: '  ' }]) {
      const error = thrownBy(() => createModelProvider(spec, { environment }));
      expect(error).toBeInstanceOf(MissingApiKeyError);
      expect(error).toMatchObject({
        type: failureTypes.missingApiKey,
        variable: 'FLAGSHIP_KEY',
        model: 'claude-sonnet-4-20250514',
      });
      expect((error as Error).message).toBe(
        'Environment variable FLAGSHIP_KEY is not set or empty: it must hold the API key of anthropic model claude-sonnet-4-20250514.',
      );
    }
  });

  it('sends an openai-compatible model no key unless its spec names a variable', async () => {
    const keyless = replayFetch(loadFixture('groq-chat').response);
    await createModelProvider(groqSpec, {
      environment: { OPENAI_API_KEY: 'sk-not-for-groq' },
      fetch: keyless.fetch,
    }).generate({ messages: chat });
    expect(keyless.requests[0].headers).not.toHaveProperty('authorization');

    const keyed = replayFetch(loadFixture('groq-chat').response);
    const spec: ModelSpec = { ...groqSpec, apiKeyEnv: 'GROQ_API_KEY' };
    await createModelProvider(spec, { environment: { GROQ_API_KEY: 'gsk_groq' }, fetch: keyed.fetch }).generate({
      messages: chat,
    });
    expect(keyed.requests[0].headers.authorization).toBe('Bearer gsk_groq');
    expect(() => createModelProvider(spec, { environment: {} })).toThrow('GROQ_API_KEY');
  });
});

describe('checkApiKeys', () => {
  const specs: ModelSpec[] = [
    groqSpec,
    { provider: 'openai', model: 'gpt-4o-mini' },
    { provider: 'openai', model: 'gpt-4o-mini' },
    { provider: 'anthropic', model: 'claude-sonnet-4-20250514', apiKeyEnv: 'FLAGSHIP_KEY' },
  ];

  it('lists each missing key once', () => {
    expect(checkApiKeys(specs, { FLAGSHIP_KEY: 'sk-ant' })).toEqual([
      'Environment variable OPENAI_API_KEY is not set or empty: it must hold the API key of openai model gpt-4o-mini.',
    ]);
    expect(checkApiKeys(specs, {})).toHaveLength(2);
  });

  it('finds nothing when every key is set', () => {
    expect(checkApiKeys(specs, { OPENAI_API_KEY: 'sk-openai', FLAGSHIP_KEY: 'sk-ant' })).toEqual([]);
  });
});

describe('apiKeyVariable', () => {
  it('names the spec variable, else the conventional one, else none', () => {
    expect(apiKeyVariable({ provider: 'openai', model: 'm', apiKeyEnv: 'MINE' })).toBe('MINE');
    expect(apiKeyVariable({ provider: 'openai', model: 'm' })).toBe('OPENAI_API_KEY');
    expect(apiKeyVariable({ provider: 'anthropic', model: 'm' })).toBe('ANTHROPIC_API_KEY');
    expect(apiKeyVariable(groqSpec)).toBeUndefined();
  });
});

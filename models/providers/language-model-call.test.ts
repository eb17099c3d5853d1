import type { ModelSpec } from '../../contracts/cascade/route-policy';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { createModelServer } from '../../local-stack/model-server/model-server';
import { createModelProvider } from './create-model-provider';
import { loadFixture, replayFetch } from './fixtures/replay-fetch';
import { toPrompt } from './language-model-call';

describe('toPrompt', () => {
  it('moves leading system messages to the instructions option and keeps the rest in order', () => {
    const prompt = toPrompt([
      { role: 'system', content: 'Be terse.' },
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Bonjour.' },
      { role: 'system', content: 'Now in English.' },
      { role: 'user', content: 'Capital of France?' },
    ]);

    expect(prompt.instructions).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'system', content: 'Answer in French.' },
    ]);
    expect(prompt.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Bonjour.' },
      { role: 'system', content: 'Now in English.' },
      { role: 'user', content: 'Capital of France?' },
    ]);
  });

  it('gives no instructions to a chat without leading system messages', () => {
    expect(toPrompt([{ role: 'user', content: 'Hi' }])).toEqual({
      instructions: undefined,
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });
});

describe('the dataset row header', () => {
  const chat = [{ role: 'user' as const, content: 'Which is right? A or B' }];
  const environment = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' };
  const adapters: Array<[string, ModelSpec, string]> = [
    ['openai', { provider: 'openai', model: 'gpt-4o-mini', logprobs: true }, 'openai-chat-logprobs'],
    [
      'openai-compatible',
      { provider: 'openai-compatible', model: 'llama-3.1-8b-instant', baseUrl: 'https://api.groq.com/openai/v1' },
      'groq-chat',
    ],
    ['anthropic', { provider: 'anthropic', model: 'claude-sonnet-4-20250514' }, 'anthropic-messages'],
  ];

  it.each(adapters)(
    'is sent by the %s adapter when the request names a row, and only then',
    async (_name, spec, fixture) => {
      const { fetch, requests } = replayFetch(loadFixture(fixture).response);
      const provider = createModelProvider(spec, { environment, fetch });

      await provider.generate({ messages: chat, datasetRowId: 'exam/train/17' });
      await provider.generate({ messages: chat });

      expect(requests[0]!.headers['x-cascade-dataset-row']).toBe('exam/train/17');
      expect(requests[1]!.headers).not.toHaveProperty('x-cascade-dataset-row');
    },
  );

  it('reaches the local model server over HTTP, which answers with that row of two sharing a prompt', async () => {
    const recorded = (text: string) => ({
      text,
      correct: text === 'A',
      usage: { input_tokens: 8, output_tokens: 1 },
      cost_usd: 0,
      latency_ms: 0,
      confidence: -0.2,
    });
    const rowOf = (id: string, text: string): RecordedRow => ({
      id,
      dataset: 'd',
      family: 'f',
      split: 'test',
      models: ['replayed'],
      messages: chat,
      responses: { replayed: recorded(text) },
    });
    const server = createModelServer({ datasets: [rowOf('row/1', 'A'), rowOf('row/2', 'B')], apiKey: 'sk-local' });
    const { url } = await server.start();
    try {
      const provider = createModelProvider(
        { provider: 'openai', model: 'replayed', baseUrl: url, logprobs: true },
        { environment: { OPENAI_API_KEY: 'sk-local' } },
      );
      const texts = [];
      for (const datasetRowId of ['row/2', 'row/1', undefined])
        texts.push((await provider.generate({ messages: chat, datasetRowId })).text);
      expect(texts).toEqual(['B', 'A', 'A']);
      expect(server.callCounts().log.map((entry) => entry.datasetRowId)).toEqual(['row/2', 'row/1', undefined]);
    } finally {
      await server.stop();
    }
  });
});

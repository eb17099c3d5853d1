import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { createModelServer, type ModelServer } from './model-server';
import type { ScriptedModelSpec } from './scripted-model-spec';
import { postChatCompletion, userPrompt } from './test-support';

const sampler: ScriptedModelSpec = {
  id: 'sampler',
  default: {
    mix: [
      { weight: 2, behaviour: { text: 'The answer is B' } },
      {
        weight: 1,
        behaviour: {
          mix: [
            { weight: 1, behaviour: { text: 'The answer is A' } },
            { weight: 1, behaviour: { text: 'The answer is C' } },
          ],
        },
      },
    ],
  },
};

const recordedQuestion = 'Which letter comes second? (A) x (B) y';
const recordedRow: RecordedRow = {
  id: 'sampling-test/0',
  dataset: 'sampling-test',
  family: 'test',
  split: 'test',
  models: ['replayed'],
  messages: [{ role: 'user', content: recordedQuestion }],
  responses: {
    replayed: {
      text: 'B',
      correct: true,
      usage: { input_tokens: 9, output_tokens: 1 },
      cost_usd: 0,
      latency_ms: 0,
      confidence: -0.2,
    },
  },
};

/** `count` answers of `model` to one prompt, one call after the other (the call order decides each draw). */
async function sample(options: {
  url: string;
  model: string;
  prompt: string;
  count: number;
  temperature?: number;
}): Promise<string[]> {
  const texts: string[] = [];
  for (let index = 0; index < options.count; index += 1) {
    const body = {
      ...userPrompt(options.model, options.prompt),
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    };
    const response = await postChatCompletion({ url: options.url, body });
    expect(response.status).toBe(200);
    texts.push(response.body.choices[0]!.message.content);
  }
  return texts;
}

describe('model server sampling over HTTP', () => {
  let server: ModelServer;
  let url: string;

  beforeAll(async () => {
    server = createModelServer({ models: [sampler], datasets: [recordedRow] });
    ({ url } = await server.start());
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    server.reset();
  });

  it('varies the mix branch across repeated calls of one prompt at a temperature above 0', async () => {
    const texts = await sample({ url, model: 'sampler', prompt: 'Which letter?', count: 12, temperature: 0.7 });
    expect(new Set(texts).size).toBeGreaterThan(1);
  });

  it('spreads the samples of one prompt over the branches as the weights say', async () => {
    const texts = await sample({ url, model: 'sampler', prompt: 'Weighted question', count: 300, temperature: 1 });
    const count = (text: string): number => texts.filter((each) => each === text).length;
    // Expected 200 / 50 / 50; the bounds leave room for the hash's spread, not for a wrong weighting.
    expect(count('The answer is B')).toBeGreaterThan(170);
    expect(count('The answer is B')).toBeLessThan(230);
    expect(count('The answer is A')).toBeGreaterThan(25);
    expect(count('The answer is C')).toBeGreaterThan(25);
  });

  it('gives the same sequence of samples in a fresh server, and again after a reset', async () => {
    const first = await sample({ url, model: 'sampler', prompt: 'Repeatable question', count: 10, temperature: 0.7 });
    server.reset();
    expect(await sample({ url, model: 'sampler', prompt: 'Repeatable question', count: 10, temperature: 0.7 })).toEqual(
      first,
    );

    const fresh = createModelServer({ models: [sampler] });
    const started = await fresh.start();
    try {
      expect(
        await sample({
          url: started.url,
          model: 'sampler',
          prompt: 'Repeatable question',
          count: 10,
          temperature: 0.7,
        }),
      ).toEqual(first);
    } finally {
      await fresh.stop();
    }
  });

  it('keeps one branch per prompt at temperature 0 or without a temperature, whatever the calls before', async () => {
    for (let index = 0; index < 8; index += 1) {
      const prompt = `Stable question ${index}`;
      const withoutTemperature = await sample({ url, model: 'sampler', prompt, count: 3 });
      await sample({ url, model: 'sampler', prompt, count: 3, temperature: 0.9 });
      const atZero = await sample({ url, model: 'sampler', prompt, count: 3, temperature: 0 });
      expect(new Set([...withoutTemperature, ...atZero]).size).toBe(1);
    }
  });

  it('replays the one recorded answer to every sample of a replayed model', async () => {
    const texts = await sample({ url, model: 'replayed', prompt: recordedQuestion, count: 6, temperature: 1 });
    expect(texts).toEqual(Array.from({ length: 6 }, () => 'B'));
  });
});

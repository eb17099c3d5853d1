import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { createModelServer, type ModelServer } from './model-server';
import { parseScriptedModelSpecs } from './scripted-model-spec';
import { postChatCompletion, userPrompt } from './test-support';

/** What `top_logprobs` the server gives each token of one answer. */
async function topLogprobsOf(
  url: string,
  body: Record<string, unknown>,
): Promise<Array<{ token: string; top: Array<[string, number]> }>> {
  const response = await postChatCompletion({ url, body });
  expect(response.status).toBe(200);
  return response.body.choices[0]!.logprobs!.content.map((entry) => ({
    token: entry.token,
    top: entry.top_logprobs.map((alternative): [string, number] => {
      expect(alternative.bytes).toBeNull();
      return [alternative.token, alternative.logprob];
    }),
  }));
}

describe('top_logprobs of scripted models with alternatives', () => {
  let server: ModelServer;
  let url: string;

  beforeAll(async () => {
    server = createModelServer({
      models: [
        // Alternatives in any order; the server sorts them. 'A' repeats the token and is dropped.
        {
          id: 'sure',
          default: {
            text: ' "A" because',
            logprob: -0.02,
            alternatives: [
              { token: 'C', logprob: -6 },
              { token: 'A', logprob: -9 },
              { token: 'B', logprob: -4.5 },
            ],
          },
        },
        { id: 'second-guess', default: { text: 'B', logprob: -1.2, alternatives: [{ token: 'A', logprob: -0.4 }] } },
        { id: 'no-letters', default: { text: '?!', logprob: -0.3, alternatives: [{ token: '.', logprob: -2 }] } },
        { id: 'plain', default: { text: 'A', logprob: -0.1 } },
      ],
    });
    ({ url } = await server.start());
  });
  afterAll(async () => {
    await server.stop();
  });

  it('gives the answer token itself and its alternatives, best first, at most n; other tokens only themselves', async () => {
    expect(
      await topLogprobsOf(url, { ...userPrompt('sure', 'Which letter?'), logprobs: true, top_logprobs: 3 }),
    ).toEqual([
      { token: ' "', top: [[' "', -0.02]] },
      {
        token: 'A',
        top: [
          ['A', -0.02],
          ['B', -4.5],
          ['C', -6],
        ],
      },
      { token: '"', top: [['"', -0.02]] },
      { token: ' because', top: [[' because', -0.02]] },
    ]);
  });

  it('respects n', async () => {
    const answerTokenTop = async (n: number) =>
      (await topLogprobsOf(url, { ...userPrompt('sure', 'Which letter?'), logprobs: true, top_logprobs: n }))[1]!.top;
    expect(await answerTokenTop(1)).toEqual([['A', -0.02]]);
    expect(await answerTokenTop(2)).toEqual([
      ['A', -0.02],
      ['B', -4.5],
    ]);
    expect(await answerTokenTop(20)).toEqual([
      ['A', -0.02],
      ['B', -4.5],
      ['C', -6],
    ]);
    expect(await answerTokenTop(0)).toEqual([]);
    expect(await topLogprobsOf(url, { ...userPrompt('sure', 'Which letter?'), logprobs: true })).toEqual(
      expect.arrayContaining([{ token: 'A', top: [] }]),
    );
  });

  it('ranks an alternative above the token when it is likelier, as a provider does for a token sampled below the top', async () => {
    expect(
      await topLogprobsOf(url, { ...userPrompt('second-guess', 'Which letter?'), logprobs: true, top_logprobs: 5 }),
    ).toEqual([
      {
        token: 'B',
        top: [
          ['A', -0.4],
          ['B', -1.2],
        ],
      },
    ]);
    expect(
      await topLogprobsOf(url, { ...userPrompt('second-guess', 'Which letter?'), logprobs: true, top_logprobs: 1 }),
    ).toEqual([{ token: 'B', top: [['A', -0.4]] }]);
  });

  it('puts the alternatives on the first token when no token holds a letter or a digit', async () => {
    expect(
      await topLogprobsOf(url, { ...userPrompt('no-letters', 'Anything?'), logprobs: true, top_logprobs: 2 }),
    ).toEqual([
      {
        token: '?',
        top: [
          ['?', -0.3],
          ['.', -2],
        ],
      },
      { token: '!', top: [['!', -0.3]] },
    ]);
  });

  it('gives a model without alternatives the token itself only', async () => {
    expect(
      await topLogprobsOf(url, { ...userPrompt('plain', 'Which letter?'), logprobs: true, top_logprobs: 5 }),
    ).toEqual([{ token: 'A', top: [['A', -0.1]] }]);
  });
});

describe('top_logprobs of replayed models', () => {
  const row: RecordedRow = {
    id: 'inline/0',
    dataset: 'inline',
    family: 'pair',
    split: 'train',
    models: ['small'],
    messages: [{ role: 'user', content: 'Which letter?' }],
    responses: {
      small: {
        text: 'B',
        correct: true,
        usage: { input_tokens: 9, output_tokens: 1 },
        cost_usd: 0,
        latency_ms: 0,
        confidence: -0.3,
      },
    },
  };

  it('hold the recorded token only: a dataset records no alternatives, so a margin gate sees no signal', async () => {
    const server = createModelServer({ datasets: [row] });
    const { url } = await server.start();
    try {
      expect(
        await topLogprobsOf(url, { model: 'small', messages: row.messages, logprobs: true, top_logprobs: 5 }),
      ).toEqual([{ token: 'B', top: [['B', -0.3]] }]);
    } finally {
      await server.stop();
    }
  });
});

describe('alternatives in a scripted model spec', () => {
  it('are validated: a token, and a log-probability of at most 0', () => {
    expect(() =>
      parseScriptedModelSpecs([{ id: 'm', default: { text: 'A', alternatives: [{ token: 'B', logprob: 0.5 }] } }]),
    ).toThrow('models.0.default.alternatives.0.logprob');
    expect(() =>
      parseScriptedModelSpecs([{ id: 'm', default: { text: 'A', alternatives: [{ token: '', logprob: -1 }] } }]),
    ).toThrow('models.0.default.alternatives.0.token');
    expect(() =>
      parseScriptedModelSpecs([
        { id: 'm', default: { echo: true, alternatives: [{ token: 'B', logprob: -1, bytes: null }] } },
      ]),
    ).toThrow('models.0.default.alternatives.0');
  });
});

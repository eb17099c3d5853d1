import { promptKey } from '../../evaluation/datasets/prompt-key';
import { join } from 'node:path';
import { createModelServer } from './model-server';
import { createScriptedModel } from './scripted-model';
import { parseScriptedModelSpecs, type ScriptedModelSpec } from './scripted-model-spec';
import { loadScriptedModelsFile } from './scripted-models-file';
import type { ModelOutcome } from './served-model';
import { postChatCompletion, userPrompt } from './test-support';

function ask(spec: ScriptedModelSpec, content: string, callNumber = 1, temperature?: number): ModelOutcome {
  const messages = [{ role: 'user', content }];
  return createScriptedModel(parseScriptedModelSpecs([spec])[0]!).answer({
    model: spec.id,
    messages,
    promptKey: promptKey(messages),
    callNumber,
    temperature,
  });
}

function answerText(outcome: ModelOutcome): string {
  if (outcome.kind !== 'answer') throw new Error(`expected an answer, got ${outcome.kind}`);
  return outcome.text;
}

describe('scripted model rules', () => {
  const spec: ScriptedModelSpec = {
    id: 'ruled',
    rules: [
      { whenContains: 'refund', respond: { text: 'I cannot help with refunds.' } },
      { whenContains: 'JSON', respond: { text: '{"echo": "{{lastUserMessage}}"}' } },
      { whenContains: 'JSON refund', respond: { text: 'never reached: an earlier rule matches first' } },
      { whenContains: 'repeat', respond: { echo: true } },
    ],
    default: { text: 'default answer' },
  };

  it('takes the first rule whose text occurs in the last user message', () => {
    expect(answerText(ask(spec, 'I want a refund'))).toBe('I cannot help with refunds.');
    expect(answerText(ask(spec, 'JSON refund please'))).toBe('I cannot help with refunds.');
  });

  it('matches case-sensitively and falls back to the default', () => {
    expect(answerText(ask(spec, 'I want a REFUND'))).toBe('default answer');
  });

  it('fills {{lastUserMessage}} and echoes', () => {
    expect(answerText(ask(spec, 'give JSON'))).toBe('{"echo": "give JSON"}');
    expect(answerText(ask(spec, 'please repeat me'))).toBe('please repeat me');
  });

  it('matches only the last user message, not earlier ones or the system prompt', () => {
    const messages = [
      { role: 'system', content: 'refund policy applies' },
      { role: 'user', content: 'refund?' },
      { role: 'assistant', content: 'refund!' },
      { role: 'user', content: 'thanks' },
    ];
    const outcome = createScriptedModel(spec).answer({
      model: 'ruled',
      messages,
      promptKey: promptKey(messages),
      callNumber: 1,
    });
    expect(answerText(outcome)).toBe('default answer');
  });
});

describe('scripted model mix', () => {
  const mixed: ScriptedModelSpec = {
    id: 'mixed',
    default: {
      mix: [
        { weight: 3, behaviour: { text: 'valid' } },
        {
          weight: 1,
          behaviour: {
            mix: [
              { weight: 1, behaviour: { text: 'refusal' } },
              { weight: 1, behaviour: { text: 'short' } },
            ],
          },
        },
      ],
    },
  };
  const prompts = Array.from({ length: 400 }, (_, index) => `question number ${index}`);

  it('gives the same branch to the same prompt, every time and in every server', () => {
    const first = prompts.map((prompt) => answerText(ask(mixed, prompt)));
    const second = prompts.map((prompt) => answerText(ask(mixed, prompt)));
    expect(second).toEqual(first);
  });

  it('spreads prompts over the branches in proportion to their weights', () => {
    const tally = new Map<string, number>();
    for (const prompt of prompts) {
      const text = answerText(ask(mixed, prompt));
      tally.set(text, (tally.get(text) ?? 0) + 1);
    }
    // Expected 300 / 50 / 50; the bounds leave room for the hash's spread, not for a wrong weighting.
    expect(tally.get('valid')).toBeGreaterThan(260);
    expect(tally.get('valid')).toBeLessThan(340);
    expect(tally.get('refusal')).toBeGreaterThan(25);
    expect(tally.get('short')).toBeGreaterThan(25);
  });

  it('draws independently for models of different ids', () => {
    const renamed = { ...mixed, id: 'other' };
    const differing = prompts.filter((prompt) => answerText(ask(mixed, prompt)) !== answerText(ask(renamed, prompt)));
    expect(differing.length).toBeGreaterThan(40);
  });

  it('draws from the call number at a temperature above 0, and ignores it at 0', () => {
    const callNumbers = Array.from({ length: 40 }, (_, index) => index + 1);
    const sampled = callNumbers.map((callNumber) => answerText(ask(mixed, 'one prompt', callNumber, 0.7)));
    expect(new Set(sampled)).toEqual(new Set(['valid', 'refusal', 'short']));
    expect(callNumbers.map((callNumber) => answerText(ask(mixed, 'one prompt', callNumber, 0.7)))).toEqual(sampled);
    const fixed = answerText(ask(mixed, 'one prompt'));
    expect(callNumbers.map((callNumber) => answerText(ask(mixed, 'one prompt', callNumber, 0)))).toEqual(
      callNumbers.map(() => fixed),
    );
  });

  it('serves the same mix over HTTP to a fresh server', async () => {
    const answers: string[][] = [];
    for (let round = 0; round < 2; round += 1) {
      const server = createModelServer({ models: [mixed] });
      const { url } = await server.start();
      const texts: string[] = [];
      for (const prompt of prompts.slice(0, 20)) {
        texts.push(
          (await postChatCompletion({ url, body: userPrompt('mixed', prompt) })).body.choices[0]!.message.content,
        );
      }
      answers.push(texts);
      await server.stop();
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]).toEqual(prompts.slice(0, 20).map((prompt) => answerText(ask(mixed, prompt))));
  });
});

describe('the shipped example models', () => {
  it('give 200 demo prompts every kind of cheap answer, the same way each time', async () => {
    const cheap = (await loadScriptedModelsFile(join(__dirname, 'example-models.yaml'))).find(
      (spec) => spec.id === 'cheap-model',
    )!;
    const prompts = Array.from({ length: 200 }, (_, index) => `demo question ${index}`);
    // The first 12 characters and the first token's logprob tell the six branches apart.
    const summarize = (outcome: ModelOutcome): string =>
      outcome.kind === 'answer'
        ? `${outcome.text.slice(0, 12)} @${outcome.tokens[0]!.logprob}`
        : outcome.kind === 'error'
          ? `error ${outcome.status}`
          : 'hang';
    const kinds = prompts.map((prompt) => summarize(ask(cheap, prompt)));
    expect(new Set(kinds)).toEqual(
      new Set([
        '{"answer": " @-0.02',
        '{"answer": " @-0.1',
        '{"answer": " @-2.5',
        "I'm sorry, b @-0.05",
        'OK @-0.05',
        'error 429',
      ]),
    );
    expect(prompts.map((prompt) => summarize(ask(cheap, prompt)))).toEqual(kinds);
  });
});

describe('scripted model latency and faults', () => {
  it('draws a latency range from the prompt, within its bounds, and lets a behaviour override it', () => {
    const spec: ScriptedModelSpec = {
      id: 'slow',
      latencyMs: { min: 100, max: 200 },
      rules: [{ whenContains: 'quick', respond: { text: 'q', latencyMs: 5 } }],
      default: { text: 'x' },
    };
    const latencies = Array.from({ length: 50 }, (_, index) => ask(spec, `prompt ${index}`)).map((outcome) =>
      outcome.kind === 'answer' ? outcome.latencyMs : -1,
    );
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(200);
    expect(new Set(latencies).size).toBeGreaterThan(10);
    expect(ask(spec, 'prompt 7')).toMatchObject({ latencyMs: latencies[7] });
    expect(ask(spec, 'be quick')).toMatchObject({ latencyMs: 5 });
  });

  it('applies a list of faults one after the other, then answers', () => {
    const spec: ScriptedModelSpec = {
      id: 'flaky',
      default: {
        text: 'ok',
        faults: [
          { status: 429, retryAfterSeconds: 2, times: 2 },
          { hang: true, times: 1 },
          { status: 503, times: 1, message: 'down' },
        ],
      },
    };
    const outcomes = [1, 2, 3, 4, 5].map((callNumber) => ask(spec, 'same prompt', callNumber));
    expect(outcomes).toEqual([
      { kind: 'error', status: 429, message: 'scripted fault: model flaky answers 429', retryAfterSeconds: 2 },
      { kind: 'error', status: 429, message: 'scripted fault: model flaky answers 429', retryAfterSeconds: 2 },
      { kind: 'hang' },
      { kind: 'error', status: 503, message: 'down', retryAfterSeconds: undefined },
      expect.objectContaining({ kind: 'answer', text: 'ok' }),
    ]);
  });
});

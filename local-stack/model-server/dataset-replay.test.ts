import { join } from 'node:path';
import { loadRecordedDataset, type RecordedRow } from '../../evaluation/datasets/recorded-dataset';
import { createModelServer, type ModelServer } from './model-server';
import type { ChatCompletionBody } from './openai-response';
import { postChatCompletion, type ErrorResponse } from './test-support';

/** Real recorded rows shipped with the demo (a sample of the rational-cascades train split). */
const realDatasetPath = join(__dirname, '..', 'demo', 'data', 'rational-cascades-sample.jsonl.gz');

describe('dataset replay of real recorded rows', () => {
  let server: ModelServer;
  let url: string;
  let rows: RecordedRow[];

  beforeAll(async () => {
    rows = await loadRecordedDataset(realDatasetPath);
    server = createModelServer({ datasets: [realDatasetPath] });
    ({ url } = await server.start());
  });
  afterAll(async () => {
    await server.stop();
  });

  function rowWithId(id: string): RecordedRow {
    const row = rows.find((candidate) => candidate.id === id);
    if (row === undefined) throw new Error(`no row ${id}`);
    return row;
  }

  it('serves every model of both families', async () => {
    const body = (await (await fetch(`${url}/models`)).json()) as { data: { id: string }[] };
    expect(body.data.map((model) => model.id).sort()).toEqual(
      [
        'gpt-4o',
        'gpt-4o-mini',
        'llama3.1-405b',
        'llama3.1-70b',
        'llama3.1-8b',
        'llama3.2-1b',
        'llama3.2-3b',
        'qwen2.5-32b-coder-instruct',
        'qwen2.5-72b-instruct',
      ].sort(),
    );
  });

  it('replays a multiple-choice answer: text, usage, and the confidence as the logprob', async () => {
    const row = rowWithId('rational-cascades/mmlu/qwen_oai/train/0');
    const response = await postChatCompletion({
      url,
      body: { model: 'gpt-4o-mini', messages: row.messages, logprobs: true },
    });
    expect(response.status).toBe(200);
    expect(response.body.choices[0]!.message.content).toBe('B');
    expect(response.body.usage).toEqual({ prompt_tokens: 128, completion_tokens: 1, total_tokens: 129 });
    expect(response.body.choices[0]!.logprobs!.content).toEqual([
      { token: 'B', logprob: -0.23267455, bytes: null, top_logprobs: [] },
    ]);

    const flagship = await postChatCompletion({
      url,
      body: { model: 'gpt-4o', messages: row.messages, logprobs: true },
    });
    expect(flagship.body.choices[0]!.logprobs!.content[0]!.logprob).toBe(-0.4050724);
  });

  it('replays a long answer whole, the confidence on the first token and 0 on the others', async () => {
    const row = rowWithId('rational-cascades/gsm8k/llama/train/0');
    const recorded = row.responses['llama3.2-1b']!;
    const response = await postChatCompletion({
      url,
      body: { model: 'llama3.2-1b', messages: row.messages, logprobs: true, max_tokens: 5 },
    });
    expect(response.body.choices[0]!.message.content).toBe(recorded.text);
    expect(response.body.choices[0]!.finish_reason).toBe('stop');
    expect(response.body.usage).toMatchObject({ prompt_tokens: 149, completion_tokens: 164 });
    const logprobs = response.body.choices[0]!.logprobs!.content;
    expect(logprobs.map((entry) => entry.token).join('')).toBe(recorded.text);
    expect(logprobs[0]!.logprob).toBe(-0.36696929);
    expect(logprobs.slice(1).every((entry) => entry.logprob === 0)).toBe(true);
  });

  it('returns logprobs content [] where no confidence was recorded', async () => {
    const [row, model] = rows
      .flatMap((candidate) =>
        Object.entries(candidate.responses).map(([name, response]) => [candidate, name, response] as const),
      )
      .find(([, , response]) => response.confidence === null)!;
    const response = await postChatCompletion({ url, body: { model, messages: row.messages, logprobs: true } });
    expect(response.body.choices[0]!.message.content).toBe(row.responses[model]!.text);
    expect(response.body.choices[0]!.logprobs).toEqual({ content: [] });
  });

  it('answers a prompt it has no record of with a clear 404', async () => {
    const response: ErrorResponse = await postChatCompletion({
      url,
      body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'an unrecorded prompt' }] },
    });
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({
      message: 'no recorded answer of model gpt-4o for this prompt',
      code: 'recorded_answer_not_found',
    });
  });

  it('matches a prompt whose system message is sent as developer', async () => {
    const row = rowWithId('rational-cascades/mmlu/qwen_oai/train/0');
    const messages = row.messages.map((message) =>
      message.role === 'system' ? { ...message, role: 'developer' } : message,
    );
    const response = await postChatCompletion({ url, body: { model: 'gpt-4o-mini', messages } });
    expect(response.body.choices[0]!.message.content).toBe('B');
  });
});

describe('dataset replay with inline rows', () => {
  const row: RecordedRow = {
    id: 'inline/0',
    dataset: 'inline',
    family: 'pair',
    split: 'train',
    models: ['small', 'shared-id'],
    messages: [{ role: 'user', content: 'What is 2 + 2?' }],
    responses: {
      small: {
        text: '4',
        correct: true,
        usage: { input_tokens: 9, output_tokens: 1 },
        cost_usd: 0,
        latency_ms: 1000,
        confidence: -0.1,
      },
      'shared-id': {
        text: 'recorded',
        correct: true,
        usage: { input_tokens: 9, output_tokens: 1 },
        cost_usd: 0,
        latency_ms: 0,
        confidence: -0.1,
      },
    },
  };

  it('sleeps latency_ms × latencyScale', async () => {
    const server = createModelServer({ datasets: [row], latencyScale: 0.25 });
    const { url } = await server.start();
    try {
      const startedAt = Date.now();
      const response = await postChatCompletion({ url, body: { model: 'small', messages: row.messages } });
      expect(response.body.choices[0]!.message.content).toBe('4');
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(240);
    } finally {
      await server.stop();
    }
  });

  it('does not sleep at the default latency scale of 0, and lets a scripted model win an id clash', async () => {
    const server = createModelServer({ datasets: [row], models: [{ id: 'shared-id', default: { text: 'scripted' } }] });
    const { url, modelIds } = await server.start();
    try {
      expect(modelIds.sort()).toEqual(['shared-id', 'small']);
      const startedAt = Date.now();
      await postChatCompletion({ url, body: { model: 'small', messages: row.messages } });
      expect(Date.now() - startedAt).toBeLessThan(900);
      const clash = await postChatCompletion({ url, body: { model: 'shared-id', messages: row.messages } });
      expect(clash.body.choices[0]!.message.content).toBe('scripted');
    } finally {
      await server.stop();
    }
  });
});

describe('dataset replay by dataset row (X-Cascade-Dataset-Row)', () => {
  const sharedPrompt = [
    { role: 'system' as const, content: 'Answer with one letter.' },
    { role: 'user' as const, content: 'Which is right? A, B or C' },
  ];
  const otherPrompt = [{ role: 'user' as const, content: 'Only the big model answered this.' }];
  const recorded = (text: string, options: { correct: boolean; confidence: number }) => ({
    text,
    correct: options.correct,
    usage: { input_tokens: 20, output_tokens: 1 },
    cost_usd: 0,
    latency_ms: 0,
    confidence: options.confidence,
  });
  const rowOf = (id: string, messages: RecordedRow['messages'], responses: RecordedRow['responses']): RecordedRow => ({
    id,
    dataset: 'shared-prompts',
    family: 'pair',
    split: 'test',
    models: ['small', 'big'],
    messages,
    responses,
  });
  // Two rows with the same prompt and different recorded answers (two samples of a noisy model, say).
  const first = rowOf('shared/1', sharedPrompt, {
    small: recorded('A', { correct: true, confidence: -0.1 }),
    big: recorded('A', { correct: true, confidence: -0.2 }),
  });
  const second = rowOf('shared/2', sharedPrompt, {
    small: recorded('C', { correct: false, confidence: -1.5 }),
    big: recorded('B', { correct: false, confidence: -0.7 }),
  });
  const bigOnly = rowOf('big-only/3', otherPrompt, { big: recorded('B', { correct: true, confidence: -0.3 }) });

  let server: ModelServer;
  let url: string;

  beforeAll(async () => {
    server = createModelServer({
      datasets: [first, second, bigOnly],
      models: [{ id: 'scripted', default: { text: 'scripted answer' } }],
    });
    ({ url } = await server.start());
  });
  afterEach(() => server.reset());
  afterAll(async () => {
    await server.stop();
  });

  const ask = <Body = ChatCompletionBody>(options: {
    model: string;
    messages: RecordedRow['messages'];
    datasetRowId?: string;
  }) =>
    postChatCompletion<Body>({
      url,
      body: { model: options.model, messages: options.messages, logprobs: true },
      headers: options.datasetRowId === undefined ? {} : { 'x-cascade-dataset-row': options.datasetRowId },
    });

  it("answers two rows that share a prompt with each row's own recorded answer, and logs the row id", async () => {
    const answers = [];
    for (const row of [first, second]) {
      for (const model of ['small', 'big']) {
        const response = await ask({ model, messages: sharedPrompt, datasetRowId: row.id });
        expect(response.status).toBe(200);
        answers.push([
          row.id,
          model,
          response.body.choices[0]!.message.content,
          response.body.choices[0]!.logprobs!.content[0]!.logprob,
        ]);
      }
    }
    expect(answers).toEqual([
      ['shared/1', 'small', 'A', -0.1],
      ['shared/1', 'big', 'A', -0.2],
      ['shared/2', 'small', 'C', -1.5],
      ['shared/2', 'big', 'B', -0.7],
    ]);
    expect(server.callCounts().log.map((entry) => entry.datasetRowId)).toEqual([
      'shared/1',
      'shared/1',
      'shared/2',
      'shared/2',
    ]);
  });

  it('answers by prompt without the header, as before: the first row recorded wins', async () => {
    const response = await ask({ model: 'small', messages: sharedPrompt });
    expect(response.status).toBe(200);
    expect(response.body.choices[0]!.message.content).toBe('A');
    expect(server.callCounts().log[0]).not.toHaveProperty('datasetRowId');
  });

  it('answers a row id it does not know with a 404 dataset_row_not_found in OpenAI shape', async () => {
    const response = await ask<ErrorResponse['body']>({
      model: 'small',
      messages: sharedPrompt,
      datasetRowId: 'shared/9',
    });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: {
        message: 'no dataset row "shared/9" on this model server',
        type: 'invalid_request_error',
        param: null,
        code: 'dataset_row_not_found',
      },
    });
    expect(server.callCounts().log[0]).toMatchObject({ model: 'small', status: 404, datasetRowId: 'shared/9' });
  });

  it("answers a request whose messages are not the row's with a 400 dataset_row_prompt_mismatch naming the row", async () => {
    const response = await ask<ErrorResponse['body']>({
      model: 'big',
      messages: otherPrompt,
      datasetRowId: 'shared/2',
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      message: `the request's messages differ from those of dataset row "shared/2"`,
      type: 'invalid_request_error',
      code: 'dataset_row_prompt_mismatch',
    });
  });

  it('answers a row without a record of the requested model with a 404 recorded_answer_not_found', async () => {
    const response = await ask<ErrorResponse['body']>({
      model: 'small',
      messages: otherPrompt,
      datasetRowId: 'big-only/3',
    });
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({
      message: 'no recorded answer of model small in dataset row "big-only/3"',
      code: 'recorded_answer_not_found',
    });
    const big = await ask({ model: 'big', messages: otherPrompt, datasetRowId: 'big-only/3' });
    expect(big.body.choices[0]!.message.content).toBe('B');
  });

  it('lets a scripted model ignore the header', async () => {
    const response = await ask({ model: 'scripted', messages: sharedPrompt, datasetRowId: 'no-such-row' });
    expect(response.status).toBe(200);
    expect(response.body.choices[0]!.message.content).toBe('scripted answer');
  });
});

describe('dataset replay from a bad path', () => {
  it('makes start() reject with an InvalidDataset error naming the file', async () => {
    const server = createModelServer({ datasets: ['/nonexistent/replay.jsonl.gz'] });
    await expect(server.start()).rejects.toMatchObject({
      type: 'InvalidDataset',
      message: '/nonexistent/replay.jsonl.gz: no such file',
    });
  });
});

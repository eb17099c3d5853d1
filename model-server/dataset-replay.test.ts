import { join } from 'node:path';
import { loadRecordedDataset, type RecordedRow } from '../datasets/recorded-dataset';
import { createModelServer, type ModelServer } from './model-server';
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
      ['gpt-4o', 'gpt-4o-mini', 'llama3.1-405b', 'llama3.1-70b', 'llama3.1-8b', 'llama3.2-1b', 'llama3.2-3b', 'qwen2.5-32b-coder-instruct', 'qwen2.5-72b-instruct'].sort(),
    );
  });

  it('replays a multiple-choice answer: text, usage, and the confidence as the logprob', async () => {
    const row = rowWithId('rational-cascades/mmlu/qwen_oai/train/0');
    const response = await postChatCompletion({ url, body: { model: 'gpt-4o-mini', messages: row.messages, logprobs: true } });
    expect(response.status).toBe(200);
    expect(response.body.choices[0]!.message.content).toBe('B');
    expect(response.body.usage).toEqual({ prompt_tokens: 128, completion_tokens: 1, total_tokens: 129 });
    expect(response.body.choices[0]!.logprobs!.content).toEqual([{ token: 'B', logprob: -0.23267455, bytes: null, top_logprobs: [] }]);

    const flagship = await postChatCompletion({ url, body: { model: 'gpt-4o', messages: row.messages, logprobs: true } });
    expect(flagship.body.choices[0]!.logprobs!.content[0]!.logprob).toBe(-0.4050724);
  });

  it('replays a long answer whole, the confidence on the first token and 0 on the others', async () => {
    const row = rowWithId('rational-cascades/gsm8k/llama/train/0');
    const recorded = row.responses['llama3.2-1b']!;
    const response = await postChatCompletion({ url, body: { model: 'llama3.2-1b', messages: row.messages, logprobs: true, max_tokens: 5 } });
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
      .flatMap((candidate) => Object.entries(candidate.responses).map(([name, response]) => [candidate, name, response] as const))
      .find(([, , response]) => response.confidence === null)!;
    const response = await postChatCompletion({ url, body: { model, messages: row.messages, logprobs: true } });
    expect(response.body.choices[0]!.message.content).toBe(row.responses[model]!.text);
    expect(response.body.choices[0]!.logprobs).toEqual({ content: [] });
  });

  it('answers a prompt it has no record of with a clear 404', async () => {
    const response: ErrorResponse = await postChatCompletion({ url, body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'an unrecorded prompt' }] } });
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({ message: 'no recorded answer of model gpt-4o for this prompt', code: 'recorded_answer_not_found' });
  });

  it('matches a prompt whose system message is sent as developer', async () => {
    const row = rowWithId('rational-cascades/mmlu/qwen_oai/train/0');
    const messages = row.messages.map((message) => (message.role === 'system' ? { ...message, role: 'developer' } : message));
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
      small: { text: '4', correct: true, usage: { input_tokens: 9, output_tokens: 1 }, cost_usd: 0, latency_ms: 1000, confidence: -0.1 },
      'shared-id': { text: 'recorded', correct: true, usage: { input_tokens: 9, output_tokens: 1 }, cost_usd: 0, latency_ms: 0, confidence: -0.1 },
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

describe('dataset replay from a bad path', () => {
  it('makes start() reject with an InvalidDataset error naming the file', async () => {
    const server = createModelServer({ datasets: ['/nonexistent/replay.jsonl.gz'] });
    await expect(server.start()).rejects.toMatchObject({ type: 'InvalidDataset', message: '/nonexistent/replay.jsonl.gz: no such file' });
  });
});

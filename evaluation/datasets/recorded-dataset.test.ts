import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InvalidDatasetError } from './invalid-dataset-error';
import { promptKey } from './prompt-key';
import { loadRecordedDataset } from './recorded-dataset';
import type { RecordedRow } from './recorded-row';

/** Real recorded rows shipped with the demo (a sample of the rational-cascades train split). */
const realDatasetPath = join(__dirname, '..', '..', 'local-stack', 'demo', 'data', 'rational-cascades-sample.jsonl.gz');

function validRow(overrides: Partial<RecordedRow> = {}): RecordedRow {
  return {
    id: 'test/0',
    dataset: 'test',
    family: 'pair',
    split: 'train',
    models: ['small', 'large'],
    messages: [
      { role: 'system', content: 'Answer with one letter.' },
      { role: 'user', content: 'Which letter comes first? A or B' },
    ],
    responses: {
      small: {
        text: 'B',
        correct: false,
        usage: { input_tokens: 20, output_tokens: 1 },
        cost_usd: 0.00001,
        latency_ms: 120,
        confidence: -1.2,
      },
      large: {
        text: 'A',
        correct: true,
        usage: { input_tokens: 20, output_tokens: 1 },
        cost_usd: 0.0003,
        latency_ms: 480,
        confidence: null,
      },
    },
    ...overrides,
  };
}

describe('loadRecordedDataset on real recorded rows', () => {
  let rows: RecordedRow[];
  beforeAll(async () => {
    rows = await loadRecordedDataset(realDatasetPath);
  });

  it('reads all 121 rows of the sample', () => {
    expect(rows).toHaveLength(121);
  });

  it('reads the first row with its recorded answers', () => {
    const first = rows[0]!;
    expect(first.id).toBe('rational-cascades/mmlu/qwen_oai/train/0');
    expect(first.models).toEqual(['gpt-4o-mini', 'qwen2.5-32b-coder-instruct', 'qwen2.5-72b-instruct', 'gpt-4o']);
    expect(first.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(first.responses['gpt-4o-mini']).toEqual({
      text: 'B',
      correct: true,
      usage: { input_tokens: 128, output_tokens: 1 },
      cost_usd: expect.any(Number),
      latency_ms: expect.any(Number),
      confidence: -0.23267455,
    });
  });

  it('keeps the null confidences the authors did not record', () => {
    const nullConfidences = rows
      .flatMap((row) => Object.values(row.responses))
      .filter((response) => response.confidence === null);
    expect(nullConfidences).toHaveLength(1);
  });

  it('filters by split, family and dataset', async () => {
    const mmlu = await loadRecordedDataset(realDatasetPath, { family: 'qwen_oai', dataset: 'rational-cascades/mmlu' });
    expect(mmlu).toHaveLength(30);
    expect(mmlu.every((row) => row.family === 'qwen_oai' && row.dataset === 'rational-cascades/mmlu')).toBe(true);
    expect(
      await loadRecordedDataset(realDatasetPath, { family: 'llama', dataset: 'rational-cascades/mmlu' }),
    ).toHaveLength(0);
    expect(await loadRecordedDataset(realDatasetPath, { split: 'test' })).toHaveLength(0);
  });
});

describe('loadRecordedDataset on bad files', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'recorded-dataset-'));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  function writeLines(name: string, lines: string[]): string {
    const path = join(directory, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  }

  it('reads a plain file, skipping blank lines', async () => {
    const path = writeLines('plain.jsonl', [
      JSON.stringify(validRow()),
      '',
      JSON.stringify(validRow({ id: 'test/1' })),
    ]);
    const rows = await loadRecordedDataset(path);
    expect(rows.map((row) => row.id)).toEqual(['test/0', 'test/1']);
    expect(rows[1]!.responses['large']!.confidence).toBeNull();
  });

  it('recognises gzip by its bytes, whatever the name', async () => {
    const path = join(directory, 'gzipped-without-suffix.jsonl');
    writeFileSync(path, gzipSync(JSON.stringify(validRow()) + '\n'));
    expect((await loadRecordedDataset(path)).map((row) => row.id)).toEqual(['test/0']);
  });

  it('names the file, the line and the field of a bad value', async () => {
    const bad = validRow({ id: 'test/1' });
    (bad.responses['small']!.usage as { input_tokens: unknown }).input_tokens = 'many';
    const path = writeLines('bad-field.jsonl', [JSON.stringify(validRow()), JSON.stringify(bad)]);
    const failure = loadRecordedDataset(path);
    await expect(failure).rejects.toBeInstanceOf(InvalidDatasetError);
    await expect(failure).rejects.toMatchObject({ type: 'InvalidDataset', path, line: 2 });
    await expect(failure).rejects.toThrow(`${path}:2: responses.small.usage.input_tokens:`);
  });

  it('names a missing field', async () => {
    const { split: _split, ...withoutSplit } = validRow();
    const path = writeLines('missing-field.jsonl', [JSON.stringify(withoutSplit)]);
    await expect(loadRecordedDataset(path)).rejects.toThrow(`${path}:1: split:`);
  });

  it('rejects a positive confidence, which is no log-probability', async () => {
    const bad = validRow();
    bad.responses['large']!.confidence = 0.7;
    const path = writeLines('positive-confidence.jsonl', [JSON.stringify(bad)]);
    await expect(loadRecordedDataset(path)).rejects.toThrow(`${path}:1: responses.large.confidence:`);
  });

  it('rejects a response of a model missing from "models"', async () => {
    const path = writeLines('unlisted-model.jsonl', [JSON.stringify(validRow({ models: ['small'] }))]);
    await expect(loadRecordedDataset(path)).rejects.toThrow(
      `${path}:1: responses.large: model "large" is not listed in "models"`,
    );
  });

  it('rejects a message role the format does not know', async () => {
    const bad = validRow({ messages: [{ role: 'robot' as 'user', content: 'hi' }] });
    const path = writeLines('bad-role.jsonl', [JSON.stringify(bad)]);
    await expect(loadRecordedDataset(path)).rejects.toThrow(`${path}:1: messages.0.role:`);
  });

  it('names a line that is not JSON', async () => {
    const path = writeLines('not-json.jsonl', [JSON.stringify(validRow()), '', '{"id": "test/1",']);
    await expect(loadRecordedDataset(path)).rejects.toThrow(`${path}:3: not valid JSON`);
  });

  it('rejects a repeated id, naming both lines', async () => {
    const path = writeLines('repeated-id.jsonl', [JSON.stringify(validRow()), JSON.stringify(validRow())]);
    await expect(loadRecordedDataset(path)).rejects.toThrow(`${path}:2: id: "test/0" repeats the id of line 1`);
  });

  it('reports a missing file', async () => {
    const path = join(directory, 'absent.jsonl');
    await expect(loadRecordedDataset(path)).rejects.toMatchObject({
      type: 'InvalidDataset',
      message: `${path}: no such file`,
    });
  });

  it('reports a corrupt gzip file', async () => {
    const path = join(directory, 'corrupt.jsonl.gz');
    writeFileSync(path, gzipSync(JSON.stringify(validRow()) + '\n').subarray(0, 20));
    await expect(loadRecordedDataset(path)).rejects.toMatchObject({
      type: 'InvalidDataset',
      message: expect.stringContaining(`${path}:1: cannot read:`),
    });
  });
});

describe('promptKey', () => {
  const messages = validRow().messages;

  it('is the sha256 hex of the role and content sequence, stable across calls', () => {
    expect(promptKey(messages)).toMatch(/^[0-9a-f]{64}$/);
    expect(promptKey(messages)).toBe(promptKey(messages.map((message) => ({ ...message }))));
  });

  it('changes with any role, content or order', () => {
    const key = promptKey(messages);
    expect(promptKey([{ ...messages[0]!, role: 'user' }, messages[1]!])).not.toBe(key);
    expect(promptKey([messages[0]!, { ...messages[1]!, content: messages[1]!.content + ' ' }])).not.toBe(key);
    expect(promptKey([messages[1]!, messages[0]!])).not.toBe(key);
  });

  it('cannot be fooled by moving text across the message boundary', () => {
    expect(
      promptKey([
        { role: 'user', content: 'ab' },
        { role: 'user', content: 'c' },
      ]),
    ).not.toBe(
      promptKey([
        { role: 'user', content: 'a' },
        { role: 'user', content: 'bc' },
      ]),
    );
  });
});

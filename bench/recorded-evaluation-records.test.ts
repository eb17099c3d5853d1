import { join } from 'node:path';
import type { GateSpec } from '../contracts/cascade/gate-spec';
import { loadRecordedDataset } from '../evaluation/datasets/recorded-dataset';
import type { RecordedRow } from '../evaluation/datasets/recorded-row';
import { recordedEvaluationRecords } from './recorded-evaluation-records';

const samplePath = join(__dirname, '..', 'local-stack', 'demo', 'data', 'rational-cascades-sample.jsonl.gz');
const letterThenConfidence: GateSpec = {
  kind: 'all',
  gates: [
    { kind: 'required-pattern', pattern: '^\\s*[A-D]\\s*$' },
    { kind: 'confidence', threshold: 0.9 },
  ],
};

describe('recordedEvaluationRecords', () => {
  let rows: RecordedRow[];
  beforeAll(async () => {
    rows = await loadRecordedDataset(samplePath, { family: 'qwen_oai' });
  });

  it('builds one record per row with both models, from the recorded answers, labels and costs', () => {
    const records = recordedEvaluationRecords({
      rows,
      cheap: 'gpt-4o-mini',
      flagship: 'gpt-4o',
      gate: letterThenConfidence,
    });
    expect(records).toHaveLength(rows.length);
    const first = records[0]!;
    const row = rows[0]!;
    expect(first).toMatchObject({
      id: row.id,
      subset: row.dataset,
      cheapCorrect: row.responses['gpt-4o-mini']!.correct,
      flagshipCorrect: row.responses['gpt-4o']!.correct,
      signal: row.responses['gpt-4o-mini']!.confidence,
      cheapCostUsd: row.responses['gpt-4o-mini']!.cost_usd,
      flagshipCostUsd: row.responses['gpt-4o']!.cost_usd,
      gateCostUsd: 0,
      deterministicPass: true,
    });
    expect(first.score).toBeCloseTo(Math.exp(row.responses['gpt-4o-mini']!.confidence!), 12);
  });

  it('marks a cheap answer that fails the deterministic part, whatever its confidence', () => {
    const records = recordedEvaluationRecords({
      rows,
      cheap: 'gpt-4o-mini',
      flagship: 'gpt-4o',
      gate: letterThenConfidence,
    });
    const trivia = records.find((record) => record.subset.endsWith('/triviaqa'));
    expect(trivia?.deterministicPass).toBe(false);
    expect(
      records.filter((record) => record.subset.endsWith('/mmlu')).every((record) => record.deterministicPass),
    ).toBe(true);
  });

  it('gives no signal and score 0 where no confidence was recorded', () => {
    const records = recordedEvaluationRecords({
      rows,
      cheap: 'qwen2.5-72b-instruct',
      flagship: 'gpt-4o',
      gate: { kind: 'confidence', threshold: 0.5 },
    });
    const unrecorded = rows
      .filter((row) => row.responses['qwen2.5-72b-instruct']?.confidence === null)
      .map((row) => row.id);
    expect(unrecorded.length).toBeGreaterThan(0);
    for (const record of records.filter((candidate) => unrecorded.includes(candidate.id))) {
      expect(record.signal).toBeUndefined();
      expect(record.score).toBe(0);
    }
  });

  it('skips rows that lack either model', () => {
    expect(
      recordedEvaluationRecords({
        rows,
        cheap: 'llama3.1-8b',
        flagship: 'gpt-4o',
        gate: { kind: 'confidence', threshold: 0.5 },
      }),
    ).toHaveLength(0);
  });
});

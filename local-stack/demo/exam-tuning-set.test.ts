import { join } from 'node:path';
import { loadConfig } from '../../config/load-config';
import { loadRecordedDataset } from '../../evaluation/datasets/recorded-dataset';
import { promptKey } from '../../evaluation/datasets/prompt-key';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { findThresholdedGate } from '../../evaluation/runs/thresholded-gate';
import { buildDemoWorkload } from './demo-workload';
import { examTuningRows } from './exam-tuning-rows';
import { isExamRow } from './replayed-rows';
import { loadRouteTuning, type RouteTuning } from './tuning-record';

const dataDirectory = join(__dirname, 'data');
const samplePath = join(dataDirectory, 'rational-cascades-sample.jsonl.gz');

function row(overrides: Partial<RecordedRow> & { id: string; question: string }): RecordedRow {
  const { question, ...rest } = overrides;
  return {
    dataset: 'rational-cascades/mmlu',
    family: 'qwen_oai',
    split: 'train',
    models: ['gpt-4o-mini', 'gpt-4o'],
    messages: [{ role: 'user', content: question }],
    responses: {},
    ...rest,
  };
}

describe('examTuningRows', () => {
  it('keeps the exam rows that share neither id nor prompt with the replayed rows, in source order', () => {
    const replayed = [row({ id: 'mmlu/0', question: 'Q0' })];
    const source = [
      row({ id: 'mmlu/0', question: 'Q0' }),
      row({ id: 'mmlu/1', question: 'Q1' }),
      row({ id: 'mmlu/2', question: 'Q0' }),
      row({ id: 'medmcqa/0', question: 'Q3', dataset: 'rational-cascades/medmcqa' }),
      row({ id: 'llama/mmlu/1', question: 'Q1', family: 'llama' }),
      row({ id: 'trivia/0', question: 'Q4', dataset: 'rational-cascades/triviaqa' }),
    ];
    expect(examTuningRows({ source, replayed }).map((kept) => kept.id)).toEqual(['mmlu/1', 'medmcqa/0']);
  });
});

describe('the demo tuning set shipped in demo/data', () => {
  let sample: RecordedRow[];
  let tuning: RouteTuning;
  beforeAll(async () => {
    sample = await loadRecordedDataset(samplePath);
    tuning = await loadRouteTuning(join(dataDirectory, 'exam-tuning.json'));
  });

  it('holds the 525 exam rows of the train split that the sample lacks', () => {
    expect(tuning.datasetPath).toBe(join('local-stack', 'demo', 'data', 'exam-tuning.jsonl.gz'));
    expect(tuning.rows).toHaveLength(525);
    expect(tuning.rows.every(isExamRow)).toBe(true);
  });

  it('shares no id and no prompt with the rows the demo replays', () => {
    const replayed = buildDemoWorkload({ runId: 'test', requests: 200, rows: sample }).flatMap((item) =>
      item.row ? [item.row] : [],
    );
    expect(replayed.filter(isExamRow)).toHaveLength(60);
    for (const rows of [replayed, sample]) {
      const tuningIds = new Set(tuning.rows.map((tuned) => tuned.id));
      const tuningPrompts = new Set(tuning.rows.map((tuned) => promptKey(tuned.messages)));
      expect(rows.filter((replayedRow) => tuningIds.has(replayedRow.id))).toEqual([]);
      expect(rows.filter((replayedRow) => tuningPrompts.has(promptKey(replayedRow.messages)))).toEqual([]);
    }
  });

  it('is the tuning of the exam-qa gate in local-stack/demo/routes.yaml', () => {
    const routes = loadConfig({
      path: join(__dirname, 'routes.yaml'),
      environment: { CASCADE_MODEL_SERVER_URL: 'http://127.0.0.1:1234/v1' },
    });
    expect(tuning.record.route).toBe('exam-qa');
    expect(findThresholdedGate(routes.get('exam-qa').gate)).toMatchObject({
      kind: 'child',
      signalThreshold: tuning.record.signalThreshold,
    });
    expect(tuning.record.verdict).toBe('pays');
  });
});

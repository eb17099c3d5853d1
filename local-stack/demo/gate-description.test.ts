import { join } from 'node:path';
import type { RoutePolicy } from '../../contracts/cascade/route-policy';
import { loadConfig } from '../../config/load-config';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { findThresholdedGate } from '../../evaluation/runs/thresholded-gate';
import { describeGates } from './gate-description';
import type { RouteTuning } from './tuning-record';

const routes = loadConfig({
  path: join(__dirname, 'routes.yaml'),
  environment: { CASCADE_MODEL_SERVER_URL: 'http://127.0.0.1:1234/v1' },
});
const examPolicy = routes.get('exam-qa');
const examThreshold = findThresholdedGate(examPolicy.gate);
const signalThreshold = examThreshold.kind === 'none' ? Number.NaN : examThreshold.signalThreshold!;

function row(id: string, question: string): RecordedRow {
  return {
    id,
    dataset: 'rational-cascades/mmlu',
    family: 'qwen_oai',
    split: 'train',
    models: ['gpt-4o-mini', 'gpt-4o'],
    messages: [{ role: 'user', content: question }],
    responses: {},
  };
}

const tuning: RouteTuning = {
  record: {
    route: 'exam-qa',
    dataset: 'exam-tuning.jsonl.gz',
    maxAccuracyLossPoints: 2,
    confidence: 0.95,
    verdict: 'pays',
    signalThreshold,
    command: 'cascade tune ...',
  },
  datasetPath: 'local-stack/demo/data/exam-tuning.jsonl.gz',
  rows: [row('tuning/0', 'T0'), row('tuning/1', 'T1'), row('tuning/2', 'T2')],
};

describe('describeGates', () => {
  it('says a route of deterministic gates checks only the form of the answer', () => {
    const description = describeGates({ policy: routes.get('math'), replayedRows: [] });
    expect(description).toMatchObject({
      kind: 'form-checks',
      gates: ['refusal', 'minimum-content', 'required-pattern'],
    });
    expect(description.text).toBe(
      "form checks only (refusal, minimum-content, required-pattern): a well-formed wrong answer passes, so the cascade stays near the cheap model's accuracy",
    );
  });

  it('says where a tuned gate came from, and that its rows are other rows', () => {
    const description = describeGates({
      policy: examPolicy,
      tuning,
      replayedRows: [row('sample/0', 'S0'), row('sample/0', 'S0')],
    });
    expect(description).toEqual({
      kind: 'tuned',
      tuning: {
        dataset: 'local-stack/demo/data/exam-tuning.jsonl.gz',
        rows: 3,
        rowsAlsoReplayed: 0,
        maxAccuracyLossPoints: 2,
        confidence: 0.95,
        verdict: 'pays',
      },
      text: "confidence gate tuned on 3 other rows (local-stack/demo/data/exam-tuning.jsonl.gz) to lose at most 2 points against the flagship with 95% confidence (the tuner's verdict: pays)",
    });
  });

  it('counts replayed rows the tuning saw, by id or by prompt, instead of calling them other rows', () => {
    const description = describeGates({
      policy: examPolicy,
      tuning,
      replayedRows: [row('tuning/0', 'S0'), row('sample/1', 'T1'), row('sample/2', 'S2')],
    });
    expect(description.kind === 'tuned' && description.tuning.rowsAlsoReplayed).toBe(2);
    expect(description.text).toContain(
      'tuned on 3 rows (local-stack/demo/data/exam-tuning.jsonl.gz), 2 of them replayed here too, to lose at most 2 points',
    );
  });

  it('does not credit a tuning record to a gate set otherwise', () => {
    const retuned = { ...tuning, record: { ...tuning.record, signalThreshold: signalThreshold - 0.1 } };
    const description = describeGates({ policy: examPolicy, tuning: retuned, replayedRows: [] });
    expect(description.kind).toBe('thresholded');
    expect(description.text).toBe(
      `confidence gate at signal ≥ ${signalThreshold}, which no tuning record accounts for: what it keeps of the flagship accuracy was not measured`,
    );
    expect(describeGates({ policy: examPolicy, replayedRows: [] }).kind).toBe('thresholded');
  });

  it('says a flagship-only route has nothing to gate', () => {
    const policy: RoutePolicy = { ...routes.get('math'), mode: 'flagship-only' };
    expect(describeGates({ policy, replayedRows: [] }).kind).toBe('flagship-only');
  });
});

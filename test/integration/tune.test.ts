import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CascadeClient } from '../../client/cascade-client';
import type { RoutePolicy } from '../../contracts/cascade/route-policy';
import { loadConfig } from '../../config/load-config';
import { rewriteRouteGate } from '../../evaluation/tuning/rewrite-route-gate';
import { loadRecordedDataset } from '../../evaluation/datasets/recorded-dataset';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { evaluationRequests, evaluationRunKey } from '../../evaluation/runs/evaluation-requests';
import { modelServerApiKeyVariable } from '../../evaluation/runs/route-override';
import { runEvaluation } from '../../evaluation/runs/run-evaluation';
import { selectRows } from '../../evaluation/runs/select-rows';
import { tuneRoute } from '../../evaluation/tuning';
import { startReplayHarness, type Harness } from './cascade-harness';

const datasetPath = join(__dirname, '..', '..', 'local-stack', 'demo', 'data', 'rational-cascades-sample.jsonl.gz');
const cheap = 'gpt-4o-mini';
const flagship = 'gpt-4o';

/** A routes file as a team would keep it: comments, a gate to tune, and a route that must stay as it is. */
const routesYaml = `# Exam routes (tuned by cascade tune).
models:
  mini: { provider: openai, model: ${cheap}, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: ${modelServerApiKeyVariable}, logprobs: true }
  large: { provider: openai, model: ${flagship}, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: ${modelServerApiKeyVariable} }
routes:
  # One letter; unsure letters escalate.
  # (Named apart from analyze.test.ts's route: the same policy would share its deterministic workflow ids.)
  tuned-exam:
    cheap: { model: mini, timeout: 5s, retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 200ms, maximumAttempts: 2 } }
    flagship: { model: large, timeout: 5s, retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 400ms, maximumAttempts: 3 } }
    gate:
      kind: all
      gates:
        - kind: refusal
        - kind: confidence
          aggregation: first-token
          threshold: 0.99
  graded:
    cheap: { model: mini }
    flagship: { model: large }
    gate: { kind: judge, model: mini, rubric: "Is the answer right?", threshold: 0.5 }
`;

let rows: RecordedRow[];
let harness: Harness;
let client: CascadeClient;
let policy: RoutePolicy;
let inputPath: string;
let directory: string;

beforeAll(async () => {
  const all = await loadRecordedDataset(datasetPath);
  const models = [cheap, flagship];
  rows = [
    ...selectRows({ rows: all, subset: 'mmlu', limit: 20, models }),
    ...selectRows({ rows: all, subset: 'medmcqa', limit: 20, models }),
  ];
  // The model server replays the rows' recorded answers; the routes file is written as a team keeps it.
  ({ harness, policy, client } = await startReplayHarness({
    datasets: [datasetPath],
    routesYaml,
    route: 'tuned-exam',
    cheap,
    flagship,
  }));
  directory = mkdtempSync(join(tmpdir(), 'cascade-tune-'));
  inputPath = join(directory, 'routes.yaml');
  writeFileSync(inputPath, harness.routesYaml);
});

afterAll(async () => {
  await harness?.stop();
});

describe('tune, every item through a real cascade workflow', () => {
  it('decides on the raw signal, fits an isotonic calibration for the score and writes both into the routes file, the rest kept', async () => {
    const items = evaluationRequests({ rows, policy, runKey: evaluationRunKey({ datasetPath, policy }) });
    const run = await runEvaluation({ client, policy, items, concurrency: 8 });
    expect(run.failures).toEqual([]);
    expect(run.records).toHaveLength(40);

    // Forty rows certify only a loose promise: 20 points with 95% confidence.
    const tuning = tuneRoute({
      records: run.records,
      objective: { kind: 'max-accuracy-loss', points: 20 },
      variable: 'signal',
      calibrate: 'isotonic',
      folds: 4,
      resamples: 200,
      minimumSaving: 0,
      seed: 7,
    });
    expect(tuning.calibration?.method).toBe('isotonic');
    expect(['pays', 'cheap-alone']).toContain(tuning.decision.verdict);
    if (tuning.decision.route.kind !== 'cascade')
      throw new Error(`expected a cascade, got ${tuning.decision.route.kind}`);
    const signalThreshold = tuning.decision.route.threshold;
    // The signal is the recorded log-probability of the answer letter: the threshold is one of them.
    expect(run.records.some((record) => record.signal === signalThreshold)).toBe(true);
    expect(tuning.crossValidated.pooled.rows).toBe(40);

    const outputPath = join(directory, 'tuned.yaml');
    const input = readFileSync(inputPath, 'utf8');
    writeFileSync(
      outputPath,
      rewriteRouteGate({
        text: input,
        source: inputPath,
        route: 'tuned-exam',
        tuning: { signalThreshold, calibration: tuning.calibration },
      }),
    );

    const tuned = loadConfig({ path: outputPath, environment: {} });
    const before = loadConfig({ path: inputPath, environment: {} });
    expect(tuned.get('tuned-exam').gate).toEqual({
      kind: 'all',
      gates: [
        { kind: 'refusal' },
        { kind: 'confidence', aggregation: 'first-token', signalThreshold, calibration: tuning.calibration },
      ],
    });
    expect(tuned.get('tuned-exam').cheap).toEqual(before.get('tuned-exam').cheap);
    expect(tuned.get('graded')).toEqual(before.get('graded'));
    const output = readFileSync(outputPath, 'utf8');
    expect(output).toContain('# Exam routes (tuned by cascade tune).');
    expect(output).toContain('# One letter; unsure letters escalate.');
    expect(output).toContain('gate: { kind: judge, model: mini, rubric: "Is the answer right?", threshold: 0.5 }');
  });
});

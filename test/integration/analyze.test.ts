import { join } from 'node:path';
import { buildCascadeReport } from '../../analysis/cascade-report';
import { CascadeClient } from '../../client/cascade-client';
import type { RoutePolicy } from '../../common/route-policy';
import { loadRecordedDataset } from '../../datasets/recorded-dataset';
import type { RecordedRow } from '../../datasets/recorded-row';
import { evaluationRequests, evaluationRunKey } from '../../evaluation/evaluation-requests';
import { modelServerApiKeyVariable, overrideRouteModels } from '../../evaluation/route-override';
import { runEvaluation } from '../../evaluation/run-evaluation';
import { findThresholdedGate, thresholdOf } from '../../evaluation/thresholded-gate';
import { startHarness, type Harness } from './cascade-harness';

const datasetPath = join(__dirname, '..', '..', 'demo', 'data', 'rational-cascades-sample.jsonl.gz');
const cheap = 'gpt-4o-mini';
const flagship = 'gpt-4o';

/** The route as a deployment would have it; the evaluation swaps in the dataset's models as `analyze` does. */
function routesYaml(modelServerUrl: string): string {
  return `
models:
  mini: { provider: openai, model: ${cheap}, baseUrl: "${modelServerUrl}", apiKeyEnv: ${modelServerApiKeyVariable}, logprobs: true }
  large: { provider: openai, model: ${flagship}, baseUrl: "${modelServerUrl}", apiKeyEnv: ${modelServerApiKeyVariable} }
routes:
  exam:
    cheap: { model: mini, timeout: 5s, retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 200ms, maximumAttempts: 2 } }
    flagship: { model: large, timeout: 5s, retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 400ms, maximumAttempts: 3 } }
    gate:
      kind: all
      gates:
        - kind: refusal
        - kind: confidence
          aggregation: first-token
          threshold: 0.99
`;
}

let rows: RecordedRow[];
let harness: Harness;
let client: CascadeClient;
let policy: RoutePolicy;

beforeAll(async () => {
  rows = (await loadRecordedDataset(datasetPath, { dataset: 'rational-cascades/mmlu' })).slice(0, 20);
  // The model server replays the rows' recorded answers.
  harness = await startHarness({
    datasets: [datasetPath],
    routesYaml: routesYaml('${MODEL_SERVER_URL}'),
    apiKeyVariable: modelServerApiKeyVariable,
  });
  policy = overrideRouteModels({
    policy: harness.routes.get('exam'),
    cheap,
    flagship,
    modelServerUrl: harness.modelServerUrl,
    configuredModels: [],
  });
  client = harness.clientForPolicy(policy);
});

afterAll(async () => {
  await harness?.stop();
});

describe('analyze, every item through a real cascade workflow', () => {
  it('labels and prices each item as the dataset recorded it, and a second run with the same ids calls no model', async () => {
    const items = evaluationRequests({ rows, policy, runKey: evaluationRunKey({ datasetPath, policy }) });
    const progress: number[] = [];
    const first = await runEvaluation({
      client,
      policy,
      items,
      concurrency: 8,
      onProgress: (done) => progress.push(done),
    });

    expect(first.failures).toEqual([]);
    expect(first.resumed).toBe(0);
    expect(progress).toEqual(Array.from({ length: rows.length }, (_, index) => index + 1));
    // Every item asked the cheap model once, and the flagship once: as its escalation or in its shadow.
    expect(harness.modelServer.callCounts().byModel).toEqual({ [cheap]: rows.length, [flagship]: rows.length });
    first.records.forEach((record, index) => {
      const row = rows[index]!;
      const cheapResponse = row.responses[cheap]!;
      const flagshipResponse = row.responses[flagship]!;
      expect(record).toMatchObject({
        id: row.id,
        subset: 'rational-cascades/mmlu',
        cheapCorrect: cheapResponse.correct,
        flagshipCorrect: flagshipResponse.correct,
        deterministicPass: true,
        gateCostUsd: 0,
      });
      // The recorded costs are the price table's prices of the recorded usage.
      expect(record.cheapCostUsd).toBeCloseTo(cheapResponse.cost_usd, 10);
      expect(record.flagshipCostUsd).toBeCloseTo(flagshipResponse.cost_usd, 10);
      // The replayed confidence is the first token's logprob: the gate's raw signal and, uncalibrated, exp of it its score.
      expect(record.signal).toBeCloseTo(cheapResponse.confidence!, 10);
      expect(record.score).toBeCloseTo(Math.min(1, Math.exp(cheapResponse.confidence!)), 10);
    });

    const report = buildCascadeReport({
      records: first.records,
      threshold: thresholdOf(findThresholdedGate(policy.gate)),
    });
    expect(report.threshold).toBe(0.99);
    expect(report.strategies.cheapOnly.correct).toBe(rows.filter((row) => row.responses[cheap]!.correct).length);
    expect(report.strategies.flagshipOnly.correct).toBe(rows.filter((row) => row.responses[flagship]!.correct).length);
    expect(report.counts.escalated).toBe(
      rows.filter((row) => Math.exp(row.responses[cheap]!.confidence!) < 0.99).length,
    );

    const second = await runEvaluation({ client, policy, items, concurrency: 8 });
    expect(second.resumed).toBe(rows.length);
    expect(harness.modelServer.callCounts().byModel).toEqual({ [cheap]: rows.length, [flagship]: rows.length });
    expect(second.records).toEqual(first.records);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import type { CascadeClient } from '../../client/cascade-client';
import type { CallModelInput } from '../../contracts/cascade/model-answer';
import type { RoutePolicy } from '../../contracts/cascade/route-policy';
import { loadRecordedDataset } from '../../evaluation/datasets/recorded-dataset';
import type { RecordedResponse, RecordedRow } from '../../evaluation/datasets/recorded-row';
import { evaluationRequests, evaluationRunKey, type EvaluationItem } from '../../evaluation/runs/evaluation-requests';
import { modelServerApiKeyVariable } from '../../evaluation/runs/route-override';
import { runEvaluation } from '../../evaluation/runs/run-evaluation';
import { startReplayHarness, type Harness } from './cascade-harness';
import { integrationEnvironment, requiredEnvironment } from './integration-environment';

const cheap = 'gpt-4o-mini';
const flagship = 'gpt-4o';

// (Its own route name and dataset file name: analyze.test.ts and tune.test.ts evaluate on the same dev server.)
const routesYaml = `
models:
  mini: { provider: openai, model: ${cheap}, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: ${modelServerApiKeyVariable}, logprobs: true }
  large: { provider: openai, model: ${flagship}, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: ${modelServerApiKeyVariable} }
routes:
  shared-prompt-exam:
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

const prompt = [
  { role: 'system' as const, content: 'Answer with the letter of the right option only.' },
  { role: 'user' as const, content: 'Which planet is largest? A) Jupiter B) Mars C) Venus D) Mercury' },
];

function recorded(options: {
  text: string;
  correct: boolean;
  confidence: number;
  outputTokens: number;
}): RecordedResponse {
  return {
    text: options.text,
    correct: options.correct,
    usage: { input_tokens: 40, output_tokens: options.outputTokens },
    cost_usd: 0,
    latency_ms: 0,
    confidence: options.confidence,
  };
}

/**
 * The same question asked twice (two samples of the same models, say), recorded with different answers
 * and labels: the first sure and right, the second unsure and wrong.
 */
const datasetRows: RecordedRow[] = [
  {
    id: 'shared-prompt/1',
    dataset: 'shared-prompt',
    family: 'openai',
    split: 'test',
    models: [cheap, flagship],
    messages: prompt,
    responses: {
      [cheap]: recorded({ text: 'A', correct: true, confidence: -0.005, outputTokens: 1 }),
      [flagship]: recorded({ text: 'A', correct: true, confidence: -0.01, outputTokens: 1 }),
    },
  },
  {
    id: 'shared-prompt/2',
    dataset: 'shared-prompt',
    family: 'openai',
    split: 'test',
    models: [cheap, flagship],
    messages: prompt,
    responses: {
      [cheap]: recorded({ text: 'C) Venus', correct: false, confidence: -1.2, outputTokens: 4 }),
      [flagship]: recorded({ text: 'B', correct: false, confidence: -0.4, outputTokens: 1 }),
    },
  },
];

let harness: Harness;
let client: CascadeClient;
let policy: RoutePolicy;
let datasetPath: string;
let rows: RecordedRow[];

beforeAll(async () => {
  const directory = mkdtempSync(join(requiredEnvironment(integrationEnvironment.workDirectory), 'shared-prompt-'));
  datasetPath = join(directory, 'shared-prompt.jsonl');
  writeFileSync(datasetPath, datasetRows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  rows = await loadRecordedDataset(datasetPath);
  ({ harness, policy, client } = await startReplayHarness({
    datasets: [datasetPath],
    routesYaml,
    route: 'shared-prompt-exam',
    cheap,
    flagship,
  }));
});

afterAll(async () => {
  await harness?.stop();
});

/** The inputs of the `callModel` activities a workflow scheduled, read from its history. */
async function callModelInputs(workflowId: string): Promise<CallModelInput[]> {
  const events: temporal.api.history.v1.IHistoryEvent[] = await harness.history(workflowId);
  return events
    .map((event) => event.activityTaskScheduledEventAttributes)
    .filter((attributes) => attributes?.activityType?.name === 'callModel')
    .map(
      (attributes) =>
        JSON.parse(Buffer.from(attributes!.input!.payloads![0]!.data!).toString('utf8')) as CallModelInput,
    );
}

describe('an evaluation of rows that share a prompt, through real cascade workflows', () => {
  it("replays each row's own answers, so each record pairs the row's labels with the row's answer", async () => {
    harness.modelServer.reset();
    const items = evaluationRequests({ rows, policy, runKey: evaluationRunKey({ datasetPath, policy }) });
    expect(items.map((item) => item.request.datasetRowId)).toEqual(['shared-prompt/1', 'shared-prompt/2']);

    const run = await runEvaluation({ client, policy, items, concurrency: 2 });

    expect(run.failures).toEqual([]);
    const [first, second] = run.records;
    // Row 1: sure and right, accepted. Row 2: its own unsure cheap answer, escalated, labelled wrong.
    expect(first).toMatchObject({
      id: 'shared-prompt/1',
      cheapCorrect: true,
      flagshipCorrect: true,
      deterministicPass: true,
    });
    expect(first!.signal).toBeCloseTo(-0.005, 10);
    expect(second).toMatchObject({
      id: 'shared-prompt/2',
      cheapCorrect: false,
      flagshipCorrect: false,
      deterministicPass: true,
    });
    expect(second!.signal).toBeCloseTo(-1.2, 10);
    expect(second!.score).toBeCloseTo(Math.exp(-1.2), 10);

    const firstResult = await client.result(`cascade-${items[0]!.request.requestId}`);
    expect(firstResult).toMatchObject({
      outcome: 'accepted',
      answer: { tier: 'cheap', text: 'A' },
      shadow: { model: flagship, text: 'A' },
    });
    const secondResult = await client.result(`cascade-${items[1]!.request.requestId}`);
    expect(secondResult).toMatchObject({ outcome: 'escalated', answer: { tier: 'flagship', text: 'B' } });
    expect(secondResult.cost.cheapUsd).toBeGreaterThan(firstResult.cost.cheapUsd);

    // Every model call carried its row: in the activity input (so in the history) and on the wire.
    for (const item of items) {
      const inputs = await callModelInputs(`cascade-${item.request.requestId}`);
      expect(inputs.map((input) => [input.tier, input.datasetRowId])).toEqual([
        ['cheap', item.row.id],
        ['flagship', item.row.id],
      ]);
    }
    const byRow = new Map<string | undefined, string[]>();
    for (const entry of harness.modelServer.callCounts().log)
      byRow.set(entry.datasetRowId, [...(byRow.get(entry.datasetRowId) ?? []), entry.model].sort());
    expect(Object.fromEntries(byRow)).toEqual({
      'shared-prompt/1': [flagship, cheap].sort(),
      'shared-prompt/2': [flagship, cheap].sort(),
    });
  });

  it("without datasetRowId the server matches by prompt, and the second row gets the first row's answers", async () => {
    harness.modelServer.reset();
    const items: EvaluationItem[] = evaluationRequests({
      rows,
      policy,
      runKey: `${evaluationRunKey({ datasetPath, policy })}-by-prompt`,
    }).map((item) => {
      const { datasetRowId: _unused, ...request } = item.request;
      return { row: item.row, request };
    });

    const run = await runEvaluation({ client, policy, items, concurrency: 2 });

    // The mismatch the row id exists to prevent: row 2's "wrong" label scored against row 1's sure answer.
    expect(run.records[1]).toMatchObject({ id: 'shared-prompt/2', cheapCorrect: false });
    expect(run.records[1]!.signal).toBeCloseTo(-0.005, 10);
    const inputs = await callModelInputs(`cascade-${items[1]!.request.requestId}`);
    expect(inputs.length).toBeGreaterThan(0);
    for (const input of inputs) expect(input).not.toHaveProperty('datasetRowId');
    expect(harness.modelServer.callCounts().log.every((entry) => !('datasetRowId' in entry))).toBe(true);
  });
});

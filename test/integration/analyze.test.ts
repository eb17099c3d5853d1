import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildCascadeReport } from '../../evaluation/analysis/cascade-report';
import { CascadeClient } from '../../client/cascade-client';
import type { RoutePolicy } from '../../contracts/cascade/route-policy';
import { loadRecordedDataset } from '../../evaluation/datasets/recorded-dataset';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { evaluationRequests, evaluationRunKey } from '../../evaluation/runs/evaluation-requests';
import { modelServerApiKeyVariable } from '../../evaluation/runs/route-override';
import { runEvaluation } from '../../evaluation/runs/run-evaluation';
import { findThresholdedGate, thresholdOf } from '../../evaluation/runs/thresholded-gate';
import { startReplayHarness, type Harness } from './cascade-harness';
import { integrationEnvironment, requiredEnvironment } from './integration-environment';

const datasetPath = join(__dirname, '..', '..', 'local-stack', 'demo', 'data', 'rational-cascades-sample.jsonl.gz');
const cheap = 'gpt-4o-mini';
const flagship = 'gpt-4o';

/** The route as a deployment would have it; the evaluation swaps in the dataset's models as `analyze` does. */
const routesYaml = `
models:
  mini: { provider: openai, model: ${cheap}, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: ${modelServerApiKeyVariable}, logprobs: true }
  large: { provider: openai, model: ${flagship}, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: ${modelServerApiKeyVariable} }
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

let rows: RecordedRow[];
let harness: Harness;
let client: CascadeClient;
let policy: RoutePolicy;

beforeAll(async () => {
  rows = (await loadRecordedDataset(datasetPath, { dataset: 'rational-cascades/mmlu' })).slice(0, 20);
  // The model server replays the rows' recorded answers.
  ({ harness, policy, client } = await startReplayHarness({
    datasets: [datasetPath],
    routesYaml,
    route: 'exam',
    cheap,
    flagship,
  }));
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

/** `cascade analyze` as a user runs it: a child process with its own model server and worker. */
describe('cascade analyze', () => {
  const cliPath = join(__dirname, '..', '..', 'bin', 'cascade.js');
  const directory = mkdtempSync(join(tmpdir(), 'cascade-analyze-command-'));

  async function analyze(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const common = ['--dataset', datasetPath, '--route', 'exam-qa', '--subset', 'mmlu', '--limit', '12'];
    const environment = {
      ...process.env,
      LOG_LEVEL: 'error',
      TEMPORAL_ADDRESS: requiredEnvironment(integrationEnvironment.temporalAddress),
    };
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [
          cliPath,
          'analyze',
          ...common,
          '--config',
          join(__dirname, '..', '..', 'local-stack', 'demo', 'routes.yaml'),
          ...args,
        ],
        { env: environment, timeout: 110_000 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  it('draws the chart as a PNG when the file asks for one', async () => {
    const chart = join(directory, 'exam-qa.png');
    const { code, stdout } = await analyze(['--chart', chart, '--json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { run: { chart: string } }).run.chart).toBe(chart);
    const png = readFileSync(chart);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // The plot alone is 560 by 360, drawn at twice the size, with room around it for axes and legends.
    expect(png.readUInt32BE(16)).toBeGreaterThan(1200);
    expect(png.readUInt32BE(20)).toBeGreaterThan(800);
  });

  it('refuses a chart file it cannot draw before anything runs, with exit code 2', async () => {
    const chart = join(directory, 'exam-qa.gif');
    const { code, stderr } = await analyze(['--chart', chart]);
    expect(code).toBe(2);
    expect(stderr).toContain('error (UnsupportedChartFormat): a chart file must end in .svg or .png');
    expect(stderr).not.toContain('rows:');
    expect(existsSync(chart)).toBe(false);
  });
});

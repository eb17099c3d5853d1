import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRecordedDataset } from '../../evaluation/datasets/recorded-dataset';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { buildDemoWorkload, type DemoItem } from '../../local-stack/demo/demo-workload';
import { measureRouteAccuracy, renderRouteAccuracy } from '../../local-stack/demo/route-accuracy';
import { runDemoRequests } from '../../local-stack/demo/run-demo';
import { loadRouteTuning, type RouteTuning } from '../../local-stack/demo/tuning-record';
import { modelServerApiKeyVariable } from '../../evaluation/runs/route-override';
import { startHarness, type Harness } from './cascade-harness';

const demoDirectory = join(__dirname, '..', '..', 'local-stack', 'demo');
const samplePath = join(demoDirectory, 'data', 'rational-cascades-sample.jsonl.gz');

let harness: Harness;
let tuning: RouteTuning;
let items: DemoItem[];

beforeAll(async () => {
  // The demo's own routes file, pointed at this test's model server replaying the demo's sample.
  const routesYaml = readFileSync(join(demoDirectory, 'routes.yaml'), 'utf8').replaceAll(
    '${CASCADE_MODEL_SERVER_URL:-http://127.0.0.1:8787/v1}',
    '${MODEL_SERVER_URL}',
  );
  harness = await startHarness({ datasets: [samplePath], routesYaml, apiKeyVariable: modelServerApiKeyVariable });
  tuning = await loadRouteTuning(join(demoDirectory, 'data', 'exam-tuning.json'));
  const rows = await loadRecordedDataset(samplePath);
  // The labelled requests of a default demo run (the support tickets need the scripted models).
  items = buildDemoWorkload({ runId: randomUUID().slice(0, 8), requests: 200, rows }).filter(
    (item) => item.row !== undefined,
  );
});

afterAll(async () => {
  await harness?.stop();
});

describe("the demo's accuracy per route, through real cascade workflows", () => {
  it('accepts exactly the exam answers the tuned gate is sure of, and reports each route beside its tiers alone', async () => {
    const { records } = await runDemoRequests({
      client: harness.client,
      routes: harness.routes,
      items,
      concurrency: 16,
    });
    const accuracies = measureRouteAccuracy({ items, records, routes: harness.routes, tunings: [tuning] });
    expect(accuracies.map((accuracy) => accuracy.route)).toEqual(['exam-qa', 'math']);

    const examItems = items.filter((item) => item.request.route === 'exam-qa');
    const sure = (row: RecordedRow) =>
      (row.responses['gpt-4o-mini']!.confidence ?? -Infinity) >= tuning.record.signalThreshold;
    const outcomes = items
      .map((item, index) => ({ item, record: records[index]! }))
      .filter(({ item }) => item.request.route === 'exam-qa');
    expect(outcomes.map(({ record }) => record.outcome)).toEqual(
      examItems.map((item) => (sure(item.row!) ? 'accepted' : 'escalated')),
    );

    const share = (values: boolean[]) => values.filter(Boolean).length / values.length;
    const examRows = examItems.map((item) => item.row!);
    const exam = accuracies[0]!;
    expect(exam).toMatchObject({
      labelled: 60,
      rows: 60,
      gates: { kind: 'tuned', tuning: { rows: 525, rowsAlsoReplayed: 0, maxAccuracyLossPoints: 2 } },
    });
    expect(exam.cheapOnly).toBeCloseTo(share(examRows.map((row) => row.responses['gpt-4o-mini']!.correct)), 12);
    expect(exam.flagshipOnly).toBeCloseTo(share(examRows.map((row) => row.responses['gpt-4o']!.correct)), 12);
    expect(exam.cascade).toBeCloseTo(
      share(examRows.map((row) => (sure(row) ? row.responses['gpt-4o-mini']! : row.responses['gpt-4o']!).correct)),
      12,
    );

    const math = accuracies[1]!;
    expect(math).toMatchObject({ labelled: 60, gates: { kind: 'form-checks' } });
    expect(math.cascade).toBeCloseTo(math.cheapOnly, 12);

    const text = renderRouteAccuracy(accuracies);
    expect(text).toMatch(
      /^accuracy on 120 labelled requests, rows no tuning saw +cheap alone +flagship alone +cascade \(95% interval\)$/m,
    );
    expect(text).toMatch(/^ {2}exam-qa · 60 +\d+\.\d% +\d+\.\d% +\d+\.\d% \(\d+\.\d–\d+\.\d\)$/m);
    expect(text).toContain('confidence gate tuned on 525 other rows (local-stack/demo/data/exam-tuning.jsonl.gz)');
    expect(text).toContain('a well-formed wrong answer passes');
  });
});

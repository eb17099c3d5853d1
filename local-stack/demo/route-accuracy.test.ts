import { join } from 'node:path';
import { loadConfig } from '../../config/load-config';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import type { CascadeRecord } from '../../operations/reporting/cascade-record';
import type { DemoItem } from './demo-workload';
import { measureRouteAccuracy, renderRouteAccuracy } from './route-accuracy';

const routes = loadConfig({
  path: join(__dirname, 'routes.yaml'),
  environment: { CASCADE_MODEL_SERVER_URL: 'http://127.0.0.1:1234/v1' },
});

function item(route: string, rowId?: string): DemoItem {
  const request = {
    requestId: `demo-${route}-${rowId ?? 'x'}`,
    route,
    messages: [{ role: 'user' as const, content: rowId ?? 'ticket' }],
  };
  if (rowId === undefined) return { request };
  const row: RecordedRow = {
    id: rowId,
    dataset: 'rational-cascades/gsm8k',
    family: 'llama',
    split: 'train',
    models: ['llama3.1-8b'],
    messages: request.messages,
    responses: {},
  };
  return { request, row };
}

function record(
  route: string,
  labels: Pick<CascadeRecord, 'correct' | 'cheapCorrect' | 'flagshipCorrect'>,
): CascadeRecord {
  return { route, outcome: 'accepted', costUsd: 0.001, flagshipOnlyUsd: 0.01, latencyMs: 100, ...labels };
}

describe('measureRouteAccuracy', () => {
  it('measures each labelled route apart, a failed request counting as wrong, and leaves unlabelled routes out', () => {
    const items = [
      item('support-ticket'),
      item('math', 'm0'),
      item('math', 'm1'),
      item('math', 'm0'),
      item('math', 'm2'),
    ];
    const records = [
      record('support-ticket', {}),
      record('math', { correct: true, cheapCorrect: true, flagshipCorrect: true }),
      record('math', { correct: false, cheapCorrect: false, flagshipCorrect: true }),
      record('math', { correct: true, cheapCorrect: true, flagshipCorrect: true }),
      { ...record('math', { correct: false, cheapCorrect: true, flagshipCorrect: false }), outcome: 'failed' as const },
    ];
    const [math, ...others] = measureRouteAccuracy({ items, records, routes, tunings: [] });
    expect(others).toEqual([]);
    expect(math).toMatchObject({
      route: 'math',
      labelled: 4,
      rows: 3,
      cheapOnly: 0.75,
      flagshipOnly: 0.75,
      cascade: 0.5,
      gates: { kind: 'form-checks' },
    });
    expect(math!.cascadeInterval.lower).toBeCloseTo(0.15, 2);
    expect(math!.cascadeInterval.upper).toBeCloseTo(0.85, 2);
  });
});

describe('renderRouteAccuracy', () => {
  it('puts the figures of each route in columns and what its gates can see under them, wrapped', () => {
    const items = Array.from({ length: 60 }, (_unused, index) => item('math', `m${index}`));
    const records = items.map((_item, index) =>
      record('math', { correct: index < 53, cheapCorrect: index < 53, flagshipCorrect: index < 58 }),
    );
    const text = renderRouteAccuracy(measureRouteAccuracy({ items, records, routes, tunings: [] }));
    expect(text).toBe(
      [
        'accuracy on 60 labelled requests, rows no tuning saw   cheap alone   flagship alone   cascade (95% interval)',
        '  math · 60                                                  88.3%            96.7%        88.3% (77.8–94.2)',
        '    form checks only (refusal, minimum-content, required-pattern): a well-formed wrong answer passes, so the',
        "    cascade stays near the cheap model's accuracy",
      ].join('\n'),
    );
  });

  it('claims rows no tuning saw only when every route says so', () => {
    const items = [item('exam-qa', 'e0')];
    const text = renderRouteAccuracy(
      measureRouteAccuracy({
        items,
        records: [record('exam-qa', { correct: true, cheapCorrect: true, flagshipCorrect: true })],
        routes,
        tunings: [],
      }),
    );
    expect(text.split('\n')[0]).toMatch(/^accuracy on 1 labelled requests +cheap alone/);
    expect(text).toContain('which no tuning record accounts for');
  });
});

import { wilsonInterval } from '../../operations/reporting/wilson-interval';
import { percent } from '../../evaluation/tuning/format-figures';
import type { RouteCatalog } from '../../config/route-catalog';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { renderConsoleTable } from '../../operations/reporting/console-table';
import type { CascadeRecord } from '../../operations/reporting/cascade-record';
import type { DemoItem } from './demo-workload';
import { describeGates, type GateDescription } from './gate-description';
import type { RouteTuning } from './tuning-record';

/** The demo's accuracy on one labelled route, beside each tier alone, and what its gates can see. Plain JSON. */
export interface RouteAccuracy {
  route: string;
  /** Requests of the route with a correctness label. */
  labelled: number;
  /** Distinct recorded rows they replayed. */
  rows: number;
  cheapOnly: number;
  flagshipOnly: number;
  cascade: number;
  /** The cascade's accuracy, 95% Wilson interval. */
  cascadeInterval: { lower: number; upper: number };
  gates: GateDescription;
}

/**
 * Accuracy per route over the labelled requests (those replaying a recorded row); a failed request counts as
 * wrong. `records` are the outcomes of `items`, in the same order.
 */
export function measureRouteAccuracy(options: {
  items: readonly DemoItem[];
  records: readonly CascadeRecord[];
  routes: RouteCatalog;
  tunings: readonly RouteTuning[];
}): RouteAccuracy[] {
  const labelledByRoute = new Map<string, Array<{ record: CascadeRecord; row: RecordedRow }>>();
  options.items.forEach((item, index) => {
    const record = options.records[index];
    if (!item.row || record?.correct === undefined) return;
    const entries = labelledByRoute.get(item.request.route) ?? [];
    entries.push({ record, row: item.row });
    labelledByRoute.set(item.request.route, entries);
  });
  return [...labelledByRoute].map(([route, entries]) => {
    const count = (predicate: (record: CascadeRecord) => boolean) =>
      entries.filter((entry) => predicate(entry.record)).length;
    const correct = count((record) => record.correct === true);
    const interval = wilsonInterval(correct, entries.length);
    const replayedRows = entries.map((entry) => entry.row);
    return {
      route,
      labelled: entries.length,
      rows: new Set(replayedRows.map((row) => row.id)).size,
      cheapOnly: count((record) => record.cheapCorrect === true) / entries.length,
      flagshipOnly: count((record) => record.flagshipCorrect === true) / entries.length,
      cascade: correct / entries.length,
      cascadeInterval: { lower: interval.lower, upper: interval.upper },
      gates: describeGates({
        policy: options.routes.get(route),
        tuning: options.tunings.find((tuning) => tuning.record.route === route),
        replayedRows,
      }),
    };
  });
}

/** The accuracy block of the demo's report: a row of figures per route, and under it what its gates can see. */
export function renderRouteAccuracy(accuracies: readonly RouteAccuracy[]): string {
  const labelled = accuracies.reduce((total, accuracy) => total + accuracy.labelled, 0);
  const unseen = accuracies.every(
    (accuracy) =>
      accuracy.gates.kind === 'form-checks' ||
      accuracy.gates.kind === 'flagship-only' ||
      (accuracy.gates.kind === 'tuned' && accuracy.gates.tuning.rowsAlsoReplayed === 0),
  );
  const header = [
    `accuracy on ${labelled} labelled requests${unseen ? ', rows no tuning saw' : ''}`,
    'cheap alone',
    'flagship alone',
    'cascade (95% interval)',
  ];
  const body = accuracies.map((accuracy) => [
    `  ${accuracy.route} · ${accuracy.labelled}`,
    percent(accuracy.cheapOnly),
    percent(accuracy.flagshipOnly),
    `${percent(accuracy.cascade)} (${(accuracy.cascadeInterval.lower * 100).toFixed(1)}–${(accuracy.cascadeInterval.upper * 100).toFixed(1)})`,
  ]);
  const [headerLine, ...rowLines] = renderConsoleTable({
    header,
    rows: body,
    rightAligned: [1, 2, 3],
    columnGap: 3,
  }).split('\n');
  const tableWidth = Math.max(headerLine!.length, ...rowLines.map((line) => line.length));
  return [
    headerLine!,
    ...accuracies.flatMap((accuracy, index) => [
      rowLines[index]!,
      ...wrap(accuracy.gates.text, Math.max(80, tableWidth) - 4).map((line) => `    ${line}`),
    ]),
  ].join('\n');
}

/** Words on lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

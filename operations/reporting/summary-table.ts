import { formatUsd } from '../../contracts/cascade/describe-outcome';
import { renderConsoleTable } from './console-table';
import { formatShare } from './format-share';
import type { CascadeSummary } from './summarize-cascades';

/** The summary as a table for a terminal. */
export function renderSummaryTable(
  summary: CascadeSummary,
  options: { title: string; routes?: Record<string, CascadeSummary> },
): string {
  const milliseconds = (value: number | undefined) => (value === undefined ? '-' : `${Math.round(value)} ms`);
  const rows: Array<[string, string]> = [
    ['requests', String(summary.requests)],
    [
      'accepted at the cheap tier',
      `${summary.accepted} (${formatShare(summary.requests ? summary.accepted / summary.requests : 0)})`,
    ],
    ['escalated to the flagship', `${summary.escalations} (${formatShare(summary.escalationRate)})`],
    ...Object.entries(summary.escalationsByReason).map(([reason, count]): [string, string] => [
      `  ${reason}`,
      String(count),
    ]),
    // Shown when there are any, so a report of plain cascades reads as it always did.
    ...(summary.preRouted > 0
      ? [
          [
            'pre-routed to the flagship',
            `${summary.preRouted} (${formatShare(summary.requests ? summary.preRouted / summary.requests : 0)})`,
          ] as [string, string],
          ...Object.entries(summary.preRoutedByReason).map(([reason, count]): [string, string] => [
            `  ${reason}`,
            String(count),
          ]),
        ]
      : []),
    ...(summary.cheapOnly > 0
      ? [['held to the cheap tier (budget)', String(summary.cheapOnly)] as [string, string]]
      : []),
    ...(summary.refused > 0 ? [['refused (budget)', String(summary.refused)] as [string, string]] : []),
    ['failed', String(summary.failed)],
    ...Object.entries(summary.failuresByType).map(([type, count]): [string, string] => [`  ${type}`, String(count)]),
    ['cascade cost', formatUsd(summary.cascadeCostUsd)],
    ['flagship-only cost', formatUsd(summary.flagshipOnlyCostUsd)],
    ['saving', `${formatUsd(summary.savingUsd)} (${summary.savingsPct.toFixed(1)}%)`],
    ...(['accepted', 'escalated', 'failed'] as const).map((path): [string, string] => [
      `latency ${path} p50 / p95`,
      `${milliseconds(summary.latency[path].p50Ms)} / ${milliseconds(summary.latency[path].p95Ms)}`,
    ]),
  ];
  if (summary.accuracy) {
    rows.push([
      `accuracy (${summary.accuracy.labelled} labelled)`,
      `cheap-only ${formatShare(summary.accuracy.cheapOnly)} · flagship-only ${formatShare(summary.accuracy.flagshipOnly)} · cascade ${formatShare(summary.accuracy.cascade)}`,
    ]);
  }
  const table = renderConsoleTable({ rows });
  const ruleWidth = Math.max(options.title.length, ...table.split('\n').map((line) => line.length));
  const lines = [options.title, '─'.repeat(ruleWidth), table];
  if (options.routes && Object.keys(options.routes).length > 0) {
    lines.push('', renderRouteTable(options.routes));
  }
  return lines.join('\n');
}

function renderRouteTable(routes: Record<string, CascadeSummary>): string {
  const header = ['route', 'requests', 'accepted', 'escalated', 'failed', 'cascade', 'flagship-only', 'saving'];
  const body = Object.entries(routes).map(([route, summary]) => [
    route,
    String(summary.requests),
    String(summary.accepted),
    String(summary.escalations),
    String(summary.failed),
    formatUsd(summary.cascadeCostUsd),
    formatUsd(summary.flagshipOnlyCostUsd),
    `${summary.savingsPct.toFixed(1)}%`,
  ]);
  return renderConsoleTable({ header, rows: body, rightAligned: [1, 2, 3, 4, 5, 6, 7] });
}

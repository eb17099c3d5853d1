import { describeDuration } from '../contracts/describe-duration';
import type {
  DriftThresholds,
  EscalationDriftCheckInput,
  EscalationDriftCheckResult,
} from '../contracts/drift/drift-check';
import type { DriftScheduleInfo } from '../client/drift-schedules';
import { renderConsoleTable } from '../operations/reporting/console-table';
import { formatUsd } from '../contracts/cascade/describe-outcome';

/** `cascade drift schedule`'s line: what was scheduled, how often, against what. */
export function describeSchedule(report: {
  scheduleId: string;
  created: boolean;
  everyMs: number;
  taskQueue: string;
  check: EscalationDriftCheckInput;
  paused: boolean;
}): string {
  const verb = report.created ? 'created' : 'updated';
  return `${verb} schedule ${report.scheduleId}${report.paused ? ' (paused)' : ''}: every ${describeDuration(report.everyMs)}, checks the last ${describeDuration(report.check.windowMs)} of route ${report.check.route} on task queue ${report.taskQueue} · ${describeThresholds(report.check.thresholds)}`;
}

/** `cascade drift check`'s report: the evaluation's line, then the window and what happened to an alert. */
export function describeCheckResult(result: EscalationDriftCheckResult & { workflowId: string }): string {
  const { window, figures } = result;
  const lines = [
    result.message,
    '',
    `window ${window.since} → ${window.until}`,
    `${figures.requests} answered cascades, ${figures.escalations} escalated · cascade ${formatUsd(figures.cascadeCostUsd)} against flagship-only ${formatUsd(figures.flagshipOnlyCostUsd)}`,
  ];
  const direct = window.directToFlagship ?? 0;
  const preRouted = window.preRouted ?? 0;
  const refused = window.refused ?? 0;
  if (window.failures > 0 || window.backfillCascades > 0 || direct > 0 || preRouted > 0 || refused > 0) {
    lines.push(
      `not counted: ${window.failures} failed, ${window.backfillCascades} from back-fill jobs${direct > 0 ? `, ${direct} sent straight to the flagship (flagship-only route)` : ''}${preRouted > 0 ? `, ${preRouted} pre-routed to the flagship` : ''}${refused > 0 ? `, ${refused} refused by a budget` : ''}`,
    );
  }
  for (const alert of result.alerts) lines.push(`alert: ${alert.message}`);
  if (result.alertDelivery) {
    lines.push(
      result.alertDelivery.webhook === 'sent'
        ? `alert logged and sent to the webhook (${result.alertDelivery.statusCode})`
        : 'alert logged at error level (the worker has no CASCADE_ALERT_WEBHOOK_URL)',
    );
  }
  lines.push(`workflow ${result.workflowId}`);
  return lines.join('\n');
}

/** `cascade drift list` as a table. */
export function renderScheduleTable(schedules: DriftScheduleInfo[]): string {
  const header = ['route', 'every', 'window', 'thresholds', 'state', 'last run', 'next run'];
  const rows = schedules.map((schedule) => [
    schedule.route,
    schedule.everyMs === undefined ? '-' : describeDuration(schedule.everyMs),
    schedule.check ? describeDuration(schedule.check.windowMs) : '-',
    schedule.check ? describeThresholds(schedule.check.thresholds) : '(not a drift check)',
    schedule.paused ? `paused${schedule.note ? ` (${schedule.note})` : ''}` : 'active',
    schedule.recentRuns[schedule.recentRuns.length - 1]?.takenAt ?? '-',
    schedule.nextRunAt ?? '-',
  ]);
  return renderConsoleTable({ header, rows });
}

function describeThresholds(thresholds: DriftThresholds): string {
  const percent = (share: number) => `${Number((share * 100).toFixed(1))}%`;
  return [
    `baseline ${percent(thresholds.baselineEscalationRate)} ±${thresholds.maxDriftPoints} points`,
    ...(thresholds.maxCostShare !== undefined ? [`cost ≤ ${percent(thresholds.maxCostShare)} of flagship-only`] : []),
    ...(thresholds.minRequests !== undefined ? [`min ${thresholds.minRequests} requests`] : []),
  ].join(', ');
}

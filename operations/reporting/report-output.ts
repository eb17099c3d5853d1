import { formatUsd } from '../../contracts/cascade/describe-outcome';
import { renderConsoleTable } from './console-table';
import { formatShare } from './format-share';
import type { GroupedReport, ReportFigures, ReportGroupKey } from './grouped-report';
import { renderSummaryTable } from './summary-table';
import type { CanarySummary } from './canary-summary';

/** A grouped report with what it covers: where it was read from, the window, the filters. */
export interface CascadeReport extends GroupedReport {
  /** `visibility` (Temporal's search attributes) or `ledger` (the PostgreSQL cost ledger). */
  source: 'visibility' | 'ledger';
  since: Date;
  until: Date;
  route?: string;
  backfillJob?: string;
  /**
   * What the routes' canaries found in the window (read from visibility; absent when the report reads the
   * cost ledger, which holds no canaries).
   */
  canaries?: CanarySummary[];
}

export const reportFormats = ['table', 'csv', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

const paths = ['accepted', 'escalated', 'failed'] as const;

/** The report in one of the output formats. */
export function renderReport(report: CascadeReport, format: ReportFormat): string {
  if (format === 'csv') return renderReportCsv(report);
  if (format === 'json') return JSON.stringify(reportJson(report), null, 2);
  return renderReportTable(report);
}

/** The report as one JSON value: times as ISO strings, a missing percentile as `null`. */
export function reportJson(report: CascadeReport): unknown {
  return JSON.parse(JSON.stringify(report, (_key, value: unknown) => (value === undefined ? null : value)));
}

/** The total as the summary table, then one row per group. */
export function renderReportTable(report: CascadeReport): string {
  const filters = [
    report.route !== undefined ? `route ${report.route}` : '',
    report.backfillJob !== undefined ? `job ${report.backfillJob}` : '',
  ].filter(Boolean);
  const title = `Cascades closed ${report.since.toISOString()} – ${report.until.toISOString()}${filters.length > 0 ? ` · ${filters.join(' · ')}` : ''} · from ${report.source}`;
  const lines = [
    renderSummaryTable(report.total, { title }),
    `judge calls (within the cascade cost)  ${formatUsd(report.total.judgeCostUsd)}`,
  ];
  if (report.groups.length > 0) lines.push('', renderGroupTable(report));
  if (report.canaries && report.canaries.length > 0) lines.push('', renderCanaryTable(report.canaries));
  return lines.join('\n');
}

/** Per route: how often the flagship agreed with the accepted answers the canary compared, with its interval. */
export function renderCanaryTable(canaries: CanarySummary[]): string {
  const header = [
    'canary route',
    'compared',
    'agreement',
    '95% interval',
    'disagreed',
    'skipped (budget)',
    'failed',
    'spend',
  ];
  const rows = canaries.map((canary) => [
    canary.route,
    String(canary.compared),
    canary.compared === 0 ? '-' : formatShare(canary.agreement.estimate),
    canary.compared === 0 ? '-' : `${formatShare(canary.agreement.lower)} – ${formatShare(canary.agreement.upper)}`,
    String(canary.disagreed),
    String(canary.skippedBudget),
    String(canary.failed),
    formatUsd(canary.costUsd),
  ]);
  return [
    'Canary: accepted answers also asked of the flagship (agreement among the compared ones; spend apart from the cascade cost)',
    renderConsoleTable({ header, rows, rightAligned: [1, 2, 3, 4, 5, 6, 7] }),
  ].join('\n');
}

function renderGroupTable(report: CascadeReport): string {
  const latency = (figures: ReportFigures, path: (typeof paths)[number]) => {
    const { p50Ms, p95Ms } = figures.latency[path];
    return p50Ms === undefined || p95Ms === undefined ? '-' : `${Math.round(p50Ms)} / ${Math.round(p95Ms)}`;
  };
  // Columns of the newer outcomes only when some group has them, so plain reports read as they did.
  const newer = newerOutcomeColumns(report);
  const header = [
    ...report.by,
    'requests',
    'accepted',
    'escalated',
    ...newer.map((column) => column.title),
    'failed',
    'cascade',
    'flagship-only',
    'saving',
    'judge',
    ...paths.map((path) => `${path} p50/p95 ms`),
    'escalation reasons',
    'failures',
  ];
  const body = report.groups.map((group) => [
    ...report.by.map((key) => group.key[key] ?? ''),
    String(group.requests),
    formatShare(group.acceptedShare),
    formatShare(group.escalationRate),
    ...newer.map((column) => String(group[column.field])),
    String(group.failed),
    formatUsd(group.cascadeCostUsd),
    formatUsd(group.flagshipOnlyCostUsd),
    `${group.savingsPct.toFixed(1)}%`,
    formatUsd(group.judgeCostUsd),
    ...paths.map((path) => latency(group, path)),
    describeCounts(group.escalationsByReason),
    describeCounts(group.failuresByType),
  ]);
  const textColumns = new Set([...report.by.map((_key, index) => index), header.length - 2, header.length - 1]);
  const rightAligned = header.map((_title, column) => column).filter((column) => !textColumns.has(column));
  return renderConsoleTable({ header, rows: body, rightAligned });
}

/** The group table's columns of the newer outcomes that occur in the report. */
function newerOutcomeColumns(
  report: CascadeReport,
): Array<{ title: string; field: 'preRouted' | 'cheapOnly' | 'refused' }> {
  const columns = [
    { title: 'pre-routed', field: 'preRouted' as const },
    { title: 'cheap only', field: 'cheapOnly' as const },
    { title: 'refused', field: 'refused' as const },
  ];
  return columns.filter((column) => report.total[column.field] > 0);
}

/**
 * The report as CSV (RFC 4180): a header row, one row per group (`scope` = `group`), then the total
 * (`scope` = `total`, grouping columns empty). Costs in USD and shares as fractions, to 12 significant digits;
 * escalations by reason and failures by type as `name=count` pairs separated by `;`.
 */
export function renderReportCsv(report: CascadeReport): string {
  const header = [
    'scope',
    ...report.by,
    'requests',
    'accepted',
    'accepted_share',
    'escalations',
    'escalation_rate',
    'escalations_by_reason',
    'failed',
    'failures_by_type',
    'cascade_cost_usd',
    'flagship_only_cost_usd',
    'saving_usd',
    'saving_pct',
    'judge_cost_usd',
    ...paths.flatMap((path) => [`latency_${path}_p50_ms`, `latency_${path}_p95_ms`]),
    'pre_routed',
    'pre_routed_by_reason',
    'cheap_only',
    'refused',
  ];
  const rowOf = (
    scope: 'group' | 'total',
    key: Partial<Record<ReportGroupKey, string>>,
    figures: ReportFigures,
  ): string[] => [
    scope,
    // Group values come from requests (a customer tag, a route name): never let a spreadsheet run one.
    ...report.by.map((groupKey) => neutraliseFormula(key[groupKey] ?? '')),
    String(figures.requests),
    String(figures.accepted),
    csvNumber(figures.acceptedShare),
    String(figures.escalations),
    csvNumber(figures.escalationRate),
    Object.entries(figures.escalationsByReason)
      .map(([reason, count]) => `${reason}=${count}`)
      .join(';'),
    String(figures.failed),
    Object.entries(figures.failuresByType)
      .map(([type, count]) => `${type}=${count}`)
      .join(';'),
    csvNumber(figures.cascadeCostUsd),
    csvNumber(figures.flagshipOnlyCostUsd),
    csvNumber(figures.savingUsd),
    csvNumber(figures.savingsPct),
    csvNumber(figures.judgeCostUsd),
    ...paths.flatMap((path) =>
      [figures.latency[path].p50Ms, figures.latency[path].p95Ms].map((value) =>
        value === undefined ? '' : csvNumber(value),
      ),
    ),
    String(figures.preRouted),
    Object.entries(figures.preRoutedByReason)
      .map(([reason, count]) => `${neutraliseFormula(reason)}=${count}`)
      .join(';'),
    String(figures.cheapOnly),
    String(figures.refused),
  ];
  const rows = [
    header,
    ...report.groups.map((group) => rowOf('group', group.key, group)),
    rowOf('total', {}, report.total),
  ];
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return) gets a leading `'`, as OWASP advises for CSV output; other text is unchanged. For text cells
 * only: a negative number stays a number.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV field, quoted when it holds a comma, a quote, a line break or edge spaces; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A number to 12 significant digits, which drops the binary noise of sums (0.018000000000000002). */
function csvNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}

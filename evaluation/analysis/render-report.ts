import { renderConsoleTable } from '../../operations/reporting/console-table';
import type { BreakEven } from './break-even';
import type { CascadeReport, CascadeReportFigures } from './cascade-report';
import { thinEvenly } from './thin-evenly';
import type { WilsonInterval } from '../../operations/reporting/wilson-interval';

/** Options of `renderCascadeReport`. */
export interface RenderCascadeReportOptions {
  /** The heading. @default 'Cascade report' */
  title?: string;
  /** The most sweep rows to show (at least 2), evenly spaced and keeping both ends. @default 10 */
  sweepRows?: number;
}

/**
 * The report as plain text for a terminal: strategies side by side, then the cascade's figures, a compact
 * sweep marking the chosen threshold, and the subsets (when there are several).
 *
 * @throws RangeError when `sweepRows` is not an integer of at least 2.
 */
export function renderCascadeReport(report: CascadeReport, options: RenderCascadeReportOptions = {}): string {
  const sweepRows = options.sweepRows ?? 10;
  if (!Number.isInteger(sweepRows) || sweepRows < 2) {
    throw new RangeError(`renderCascadeReport: sweepRows must be an integer of at least 2, got ${sweepRows}`);
  }
  const { counts } = report;
  const heading = `${options.title ?? 'Cascade report'} · threshold ${report.threshold} · ${counts.items} items · ${formatPercent(report.confidence, 0)} intervals`;
  const sections = [
    [heading, '─'.repeat(heading.length)].join('\n'),
    renderStrategies(report),
    renderCascadeFigures(report),
    renderSweep(report, sweepRows),
  ];
  if (Object.keys(report.subsets).length > 1) sections.push(renderSubsets(report));
  return sections.join('\n\n');
}

function renderStrategies(report: CascadeReportFigures): string {
  const { cheapOnly, flagshipOnly, cascade } = report.strategies;
  const strategies = [cheapOnly, flagshipOnly, cascade];
  return renderConsoleTable({
    header: ['', 'cheap-only', 'flagship-only', 'cascade'],
    rows: [
      ['accuracy', ...strategies.map((strategy) => formatInterval(strategy.accuracy))],
      ['correct', ...strategies.map((strategy) => `${strategy.correct} of ${report.counts.items}`)],
      ['cost per 1k requests', ...strategies.map((strategy) => formatUsd(strategy.costPer1kUsd))],
    ],
  });
}

function renderCascadeFigures(report: CascadeReportFigures): string {
  const { counts, complexitySplit: split, areaUnderCurve: area } = report;
  const saving = report.savingVersusFlagshipOnly;
  const checks =
    counts.failedDeterministicChecks > 0 ? `; ${counts.failedDeterministicChecks} failed the deterministic checks` : '';
  const fraction = report.blendedEffectiveRate.fractionOfFlagshipOnly;
  const rows: Array<[string, string]> = [
    ['escalation rate', `${formatInterval(report.escalationRate)} (${counts.escalated} of ${counts.items}${checks})`],
    ['break-even escalation rate', describeBreakEven(report.breakEven, report.escalationRate.estimate)],
    [
      'blended effective rate',
      `${formatUsd(report.blendedEffectiveRate.costPer1kUsd)} per 1k requests${fraction === null ? '' : `, ${formatPercent(fraction)} of flagship-only`}`,
    ],
    [
      'saving against flagship-only',
      `${formatUsd(saving.per1kUsd)} per 1k requests${saving.percent === null ? '' : ` (${saving.percent.toFixed(1)}%)`}`,
    ],
    [
      'complexity split',
      [
        `both right ${formatPercent(split.shares.bothCorrect)}`,
        `only cheap ${formatPercent(split.shares.onlyCheapCorrect)}`,
        `only flagship ${formatPercent(split.shares.onlyFlagshipCorrect)}`,
        `neither ${formatPercent(split.shares.neitherCorrect)}`,
      ].join(' · '),
    ],
    ['perfect-gate accuracy', `${formatPercent(split.perfectGateAccuracy)} (the most any gate reaches)`],
    [
      'error-cost area (lower wins)',
      `cascade ${area.cascade.toFixed(3)} · random routing ${area.randomRouting.toFixed(3)}` +
        ` (${formatUsd(area.costBoundsPer1kUsd[0])} to ${formatUsd(area.costBoundsPer1kUsd[1])} per 1k)`,
    ],
  ];
  return renderConsoleTable({ rows });
}

function describeBreakEven(breakEven: BreakEven, escalationRate: number): string {
  const rate = breakEven.escalationRate;
  if (rate === null) return 'none: the flagship costs nothing';
  if (rate <= 0) return `never pays: the cheap tier and gate alone cost ${formatPercent(1 - rate)} of the flagship`;
  const verdict = escalationRate < rate ? '' : ', so it costs more';
  return `${formatPercent(rate)} (the cascade costs less than flagship-only below it; it escalates ${formatPercent(escalationRate)}${verdict})`;
}

function renderSweep(report: CascadeReport, sweepRows: number): string {
  const { cascade } = report.strategies;
  const lastIndex = report.sweep.length - 1;
  const sampled = thinEvenly(
    report.sweep.map((row, index) => ({
      row,
      // The last candidate sits one floating-point step above the top score, where every item escalates.
      thresholdLabel: index === lastIndex ? 'above all' : row.threshold.toFixed(3),
      note: '',
    })),
    sweepRows,
  );
  const chosen = {
    row: {
      threshold: report.threshold,
      escalationRate: report.escalationRate.estimate,
      accuracy: cascade.accuracy.estimate,
      costPer1kUsd: cascade.costPer1kUsd,
    },
    thresholdLabel: report.threshold.toFixed(3),
    note: '<- chosen',
  };
  const shown = [...sampled.filter(({ row }) => row.threshold !== report.threshold), chosen].sort(
    (left, right) => left.row.threshold - right.row.threshold,
  );
  const table = renderConsoleTable({
    header: ['threshold', 'escalated', 'accuracy', 'cost per 1k', ''],
    rows: shown.map(({ row, thresholdLabel, note }) => [
      thresholdLabel,
      formatPercent(row.escalationRate),
      formatPercent(row.accuracy),
      formatUsd(row.costPer1kUsd),
      note,
    ]),
    rightAligned: [0, 1, 2, 3],
  });
  return `threshold sweep (${report.sweep.length} thresholds, ${shown.length} shown)\n${table}`;
}

function renderSubsets(report: CascadeReport): string {
  const table = renderConsoleTable({
    header: ['subset', 'items', 'cheap-only', 'flagship-only', 'cascade', 'escalated', 'cost per 1k', 'saving'],
    rows: Object.entries(report.subsets).map(([name, figures]) => [
      name,
      String(figures.counts.items),
      formatPercent(figures.strategies.cheapOnly.accuracy.estimate),
      formatPercent(figures.strategies.flagshipOnly.accuracy.estimate),
      formatPercent(figures.strategies.cascade.accuracy.estimate),
      formatPercent(figures.escalationRate.estimate),
      formatUsd(figures.strategies.cascade.costPer1kUsd),
      figures.savingVersusFlagshipOnly.percent === null
        ? '-'
        : `${figures.savingVersusFlagshipOnly.percent.toFixed(1)}%`,
    ]),
    rightAligned: [1, 2, 3, 4, 5, 6, 7],
  });
  return `per subset (accuracy)\n${table}`;
}

/** `72.4% [69.1, 75.5]`: the estimate and its bounds, in percent. */
export function formatInterval(interval: WilsonInterval): string {
  return `${formatPercent(interval.estimate)} [${(interval.lower * 100).toFixed(1)}, ${(interval.upper * 100).toFixed(1)}]`;
}

function formatPercent(fraction: number, decimals = 1): string {
  return `${(fraction * 100).toFixed(decimals)}%`;
}

/** Dollars with cents from a dollar up, three significant digits below it (per-1k costs of small models are fractions of a cent). */
function formatUsd(usd: number): string {
  const sign = usd < 0 ? '-' : '';
  const magnitude = Math.abs(usd);
  if (magnitude === 0 || magnitude >= 1) return `${sign}$${magnitude.toFixed(2)}`;
  return `${sign}$${magnitude.toPrecision(3)}`;
}

import type { TopLevelSpec } from 'vega-lite';
import type { CascadeReport } from './cascade-report';
import { costAccuracyChartSpec, type ChartSeries } from './cost-accuracy-chart';

/** Options of `cascadeReportChartSpec`. */
export interface CascadeReportChartOptions {
  /** The heading. @default 'Cascade cost against accuracy' */
  title?: string;
  /** Also draw each subset's sweep as its own line. @default false */
  bySubset?: boolean;
}

/**
 * A report's cost-against-accuracy chart: the cascade's sweep over every threshold as a line, and
 * cheap-only, flagship-only and the cascade at the chosen threshold as markers.
 */
export function cascadeReportChartSpec(report: CascadeReport, options: CascadeReportChartOptions = {}): TopLevelSpec {
  const series: ChartSeries[] = [{ label: 'cascade, every threshold', points: report.sweep }];
  if (options.bySubset) {
    for (const [name, figures] of Object.entries(report.subsets))
      series.push({ label: `cascade on ${name}`, points: figures.sweep });
  }
  const { cheapOnly, flagshipOnly, cascade } = report.strategies;
  return costAccuracyChartSpec({
    title: options.title ?? 'Cascade cost against accuracy',
    series,
    markers: [
      { label: 'cheap-only', costPer1kUsd: cheapOnly.costPer1kUsd, accuracy: cheapOnly.accuracy.estimate },
      { label: 'flagship-only', costPer1kUsd: flagshipOnly.costPer1kUsd, accuracy: flagshipOnly.accuracy.estimate },
      {
        label: `cascade at ${report.threshold}`,
        costPer1kUsd: cascade.costPer1kUsd,
        accuracy: cascade.accuracy.estimate,
      },
    ],
  });
}

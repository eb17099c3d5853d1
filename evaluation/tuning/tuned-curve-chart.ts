import type { TopLevelSpec } from 'vega-lite';
import { costAccuracyChartSpec } from '../analysis/cost-accuracy-chart';
import type { TunedCurve } from './tuned-curve';

/**
 * The tuned procedure's cost-against-accuracy chart: one line through the held-out points
 * (one per loss target), with the two single-model strategies.
 */
export function tunedCurveChartSpec(curve: TunedCurve, options: { title: string; subtitle?: string }): TopLevelSpec {
  const points = [...curve.points]
    .sort((left, right) => left.costPer1kUsd - right.costPer1kUsd)
    .map((point) => ({ costPer1kUsd: point.costPer1kUsd, accuracy: point.accuracy }));
  return costAccuracyChartSpec({
    title: options.title,
    ...(options.subtitle !== undefined ? { subtitle: options.subtitle } : {}),
    series: [{ label: `tuned (${curve.method}), held out`, points }],
    markers: [
      { label: 'cheap only', ...curve.cheapOnly },
      { label: 'flagship only', ...curve.flagshipOnly },
    ],
  });
}

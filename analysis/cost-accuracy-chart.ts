import { niceTicks, type AxisTicks } from './axis-ticks';
import type { CostAccuracyPoint } from './pareto-frontier';

/** A curve of the chart, drawn as a line through its points in order of cost. */
export interface ChartSeries {
  /** The legend's name for it. */
  label: string;
  /** Its points: cost per 1,000 requests in USD, accuracy as a fraction from 0 to 1. */
  points: readonly CostAccuracyPoint[];
}

/** A single strategy drawn as a marker, such as cheap-only, flagship-only or the chosen threshold. */
export interface ChartMarker extends CostAccuracyPoint {
  /** The legend's name for it. */
  label: string;
}

/** Options of `renderCostAccuracyChart`. */
export interface CostAccuracyChartOptions {
  /** The curves. */
  series: readonly ChartSeries[];
  /** Single points drawn over the curves. @default [] */
  markers?: readonly ChartMarker[];
  /** The heading. */
  title: string;
}

const width = 800;
const height = 500;
const plot = { left: 80, right: 564, top: 60, bottom: 420 };
const legendLeft = 588;
const legendLabelLength = 26;
// Okabe & Ito's palette, which readers with colour-vision deficiencies can tell apart.
const seriesColours = ['#0072B2', '#009E73', '#CC79A7', '#56B4E9', '#E69F00', '#D55E00'];
const markerColours = ['#D55E00', '#000000', '#E69F00', '#CC79A7'];
const markerShapes = ['circle', 'square', 'diamond', 'triangle'] as const;

/**
 * The cost-against-accuracy chart as a standalone SVG document of 800 by 500: cost per 1,000 requests (USD,
 * from 0) across, accuracy (%) up, a line per series, a marker per strategy, a legend on the right and a title.
 * The output depends on the options alone (no ids, no dates), so the same report gives the same bytes.
 *
 * @throws RangeError naming a point whose cost is not finite or whose accuracy is not from 0 to 1.
 */
export function renderCostAccuracyChart(options: CostAccuracyChartOptions): string {
  const markers = options.markers ?? [];
  validateChartPoints(options.series, markers);
  const allPoints = [...options.series.flatMap((series) => series.points), ...markers];
  const costs = allPoints.map((point) => point.costPer1kUsd);
  const accuracies = allPoints.map((point) => point.accuracy * 100);
  const xTicks = niceTicks([Math.min(0, ...costs), Math.max(0, ...costs)]);
  // A little room above and below the data, within 0 to 100%.
  const yTicks = niceTicks([
    Math.max(0, (accuracies.length > 0 ? Math.min(...accuracies) : 0) - 2),
    Math.min(100, (accuracies.length > 0 ? Math.max(...accuracies) : 100) + 2),
  ]);
  const x = (cost: number) => plot.left + ((cost - xTicks.low) / (xTicks.high - xTicks.low)) * (plot.right - plot.left);
  const y = (accuracy: number) =>
    plot.bottom - ((accuracy * 100 - yTicks.low) / (yTicks.high - yTicks.low)) * (plot.bottom - plot.top);
  const title = escapeXml(options.title);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12" fill="#333333">`,
    `<title>${title}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="34" text-anchor="middle" font-size="18" font-weight="600">${title}</text>`,
    renderGrid(xTicks, yTicks, x, y),
    ...options.series.map((series, index) => renderSeries(series, seriesColours[index % seriesColours.length]!, x, y)),
    ...markers.map((marker, index) => renderMarker(index, x(marker.costPer1kUsd), y(marker.accuracy))),
    renderLegend(options.series, markers),
    '</svg>',
    '',
  ].join('\n');
}

function renderGrid(
  xTicks: AxisTicks,
  yTicks: AxisTicks,
  x: (cost: number) => number,
  y: (accuracy: number) => number,
): string {
  const vertical = xTicks.values.map((value) => {
    const position = coordinate(x(value));
    return `<line x1="${position}" y1="${plot.top}" x2="${position}" y2="${plot.bottom}"/>`;
  });
  const horizontal = yTicks.values.map((value) => {
    const position = coordinate(y(value / 100));
    return `<line x1="${plot.left}" y1="${position}" x2="${plot.right}" y2="${position}"/>`;
  });
  // Dollars show whole cents once they show any fraction: $2.50, not $2.5.
  const costDecimals = xTicks.decimals === 0 ? 0 : Math.max(2, xTicks.decimals);
  const xLabels = xTicks.values.map(
    (value) =>
      `<text x="${coordinate(x(value))}" y="${plot.bottom + 20}" text-anchor="middle">$${value.toFixed(costDecimals)}</text>`,
  );
  const yLabels = yTicks.values.map(
    (value) =>
      `<text x="${plot.left - 8}" y="${coordinate(y(value / 100) + 4)}" text-anchor="end">${value.toFixed(yTicks.decimals)}%</text>`,
  );
  const middleX = (plot.left + plot.right) / 2;
  const middleY = (plot.top + plot.bottom) / 2;
  return [
    `<g stroke="#e6e6e6" stroke-width="1">`,
    ...vertical,
    ...horizontal,
    '</g>',
    `<path d="M${plot.left} ${plot.top}V${plot.bottom}H${plot.right}" fill="none" stroke="#333333" stroke-width="1"/>`,
    ...xLabels,
    ...yLabels,
    `<text x="${middleX}" y="${plot.bottom + 48}" text-anchor="middle" font-size="13">Cost per 1,000 requests (USD)</text>`,
    `<text x="24" y="${middleY}" text-anchor="middle" font-size="13" transform="rotate(-90 24 ${middleY})">Accuracy (%)</text>`,
  ].join('\n');
}

function renderSeries(
  series: ChartSeries,
  colour: string,
  x: (cost: number) => number,
  y: (accuracy: number) => number,
): string {
  const byCost = [...series.points].sort((left, right) => left.costPer1kUsd - right.costPer1kUsd);
  if (byCost.length === 0) return '';
  if (byCost.length === 1) {
    return `<circle cx="${coordinate(x(byCost[0]!.costPer1kUsd))}" cy="${coordinate(y(byCost[0]!.accuracy))}" r="3" fill="${colour}"/>`;
  }
  const points = byCost
    .map((point) => `${coordinate(x(point.costPer1kUsd))},${coordinate(y(point.accuracy))}`)
    .join(' ');
  return `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2" stroke-linejoin="round"/>`;
}

function renderMarker(index: number, centreX: number, centreY: number): string {
  const colour = markerColours[index % markerColours.length]!;
  const shape = markerShapes[index % markerShapes.length]!;
  const style = `fill="${colour}" stroke="#ffffff" stroke-width="1.5"`;
  const [cx, cy] = [coordinate(centreX), coordinate(centreY)];
  switch (shape) {
    case 'circle':
      return `<circle cx="${cx}" cy="${cy}" r="6" ${style}/>`;
    case 'square':
      return `<rect x="${coordinate(centreX - 5.5)}" y="${coordinate(centreY - 5.5)}" width="11" height="11" ${style}/>`;
    case 'diamond':
      return `<path d="M${cx} ${coordinate(centreY - 7)}L${coordinate(centreX + 7)} ${cy}L${cx} ${coordinate(centreY + 7)}L${coordinate(centreX - 7)} ${cy}Z" ${style}/>`;
    case 'triangle':
      return `<path d="M${cx} ${coordinate(centreY - 7)}L${coordinate(centreX + 6.5)} ${coordinate(centreY + 5)}L${coordinate(centreX - 6.5)} ${coordinate(centreY + 5)}Z" ${style}/>`;
  }
}

function renderLegend(series: readonly ChartSeries[], markers: readonly ChartMarker[]): string {
  const rowHeight = 22;
  const entries = [
    ...series.map((entry, index) => {
      const middle = plot.top + 10 + index * rowHeight;
      const colour = seriesColours[index % seriesColours.length]!;
      return {
        label: entry.label,
        middle,
        swatch: `<line x1="${legendLeft}" y1="${middle}" x2="${legendLeft + 24}" y2="${middle}" stroke="${colour}" stroke-width="2"/>`,
      };
    }),
    ...markers.map((marker, index) => {
      const middle = plot.top + 10 + (series.length + index) * rowHeight;
      return { label: marker.label, middle, swatch: renderMarker(index, legendLeft + 12, middle) };
    }),
  ];
  return [
    '<g>',
    ...entries.map(({ label, middle, swatch }) => {
      // Long labels are cut to fit beside the plot; the full text stays in a tooltip.
      const shown = label.length > legendLabelLength ? `${label.slice(0, legendLabelLength - 1).trimEnd()}…` : label;
      return `<g><title>${escapeXml(label)}</title>${swatch}<text x="${legendLeft + 32}" y="${middle + 4}">${escapeXml(shown)}</text></g>`;
    }),
    '</g>',
  ].join('\n');
}

function validateChartPoints(series: readonly ChartSeries[], markers: readonly ChartMarker[]): void {
  const check = (point: CostAccuracyPoint, where: string) => {
    if (!Number.isFinite(point.costPer1kUsd)) {
      throw new RangeError(
        `renderCostAccuracyChart: ${where}.costPer1kUsd must be a finite number, got ${point.costPer1kUsd}`,
      );
    }
    if (!(point.accuracy >= 0 && point.accuracy <= 1)) {
      throw new RangeError(
        `renderCostAccuracyChart: ${where}.accuracy must be a number from 0 to 1, got ${point.accuracy}`,
      );
    }
  };
  series.forEach((entry, seriesIndex) =>
    entry.points.forEach((point, pointIndex) => check(point, `series[${seriesIndex}].points[${pointIndex}]`)),
  );
  markers.forEach((marker, index) => check(marker, `markers[${index}]`));
}

/** Text made safe for XML content and attribute values; characters XML 1.0 forbids are dropped. */
export function escapeXml(text: string): string {
  return [...text]
    .filter((character) => isXmlCharacter(character.codePointAt(0)!))
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function isXmlCharacter(codePoint: number): boolean {
  if (codePoint < 0x20) return codePoint === 0x09 || codePoint === 0x0a || codePoint === 0x0d;
  return codePoint !== 0xfffe && codePoint !== 0xffff;
}

function coordinate(value: number): string {
  // One decimal is finer than a pixel; the sum with 0 turns -0 into 0.
  return String(Number(value.toFixed(1)) + 0);
}

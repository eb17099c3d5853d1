import type { TopLevelSpec } from 'vega-lite';
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

/** Options of `costAccuracyChartSpec`. */
export interface CostAccuracyChartOptions {
  /** The curves. */
  series: readonly ChartSeries[];
  /** Single points drawn over the curves, each with its own shape and colour. @default [] */
  markers?: readonly ChartMarker[];
  /** The heading. */
  title: string;
  /** A second, smaller heading line. @default none */
  subtitle?: string;
}

/** The legend titles, which also name the two kinds of mark in the chart's description. */
const chartLegendTitles = { series: 'curve', markers: 'strategy' } as const;

// Okabe & Ito's palette, which readers with colour-vision deficiencies can tell apart; markers take the
// colours the curves do not start with.
const seriesColours = ['#0072B2', '#009E73', '#CC79A7', '#56B4E9', '#E69F00', '#D55E00'];
const markerColours = ['#D55E00', '#000000', '#E69F00', '#CC79A7', '#009E73', '#56B4E9'];
const markerShapes = ['circle', 'square', 'diamond', 'triangle-up', 'cross', 'triangle-down'];
// Marker areas in square pixels, largest first: hollow shapes of different sizes at one spot stay visible
// as nested outlines, so a strategy that lands on another is still seen.
const markerSizes = [330, 200, 150, 90, 70, 50];
const plotWidth = 560;
const plotHeight = 360;

/**
 * The cost-against-accuracy chart as a Vega-Lite specification: cost per 1,000 requests (USD, from 0)
 * across, accuracy up, a line per series, a hollow marker per strategy drawn over the lines, a legend
 * for each and a title. The view grows to hold its legends and labels, which are never cut short.
 * Render it with `renderChartSvg` or `renderChartPng`.
 *
 * @throws RangeError naming a point whose cost is not finite or whose accuracy is not from 0 to 1.
 */
export function costAccuracyChartSpec(options: CostAccuracyChartOptions): TopLevelSpec {
  const markers = options.markers ?? [];
  validateChartPoints(options.series, markers);
  const seriesRows = options.series.flatMap((series) => series.points.map((point) => pointRow(point, series.label)));
  const markerRows = markers.map((marker, index) => ({
    ...pointRow(marker, marker.label),
    size: markerSizes[index % markerSizes.length]!,
  }));
  // With nothing to plot the axes still need a range: $0 to $1 and 0 to 100%.
  const emptyDomain = seriesRows.length + markerRows.length === 0 ? { domain: [0, 1] } : {};
  const x = {
    field: 'costPer1kUsd',
    type: 'quantitative',
    title: 'Cost per 1,000 requests (USD)',
    scale: { zero: true, nice: true, ...emptyDomain },
    axis: { format: '$,.2f' },
  } as const;
  const y = {
    field: 'accuracy',
    type: 'quantitative',
    title: 'Accuracy',
    scale: { zero: false, nice: true, padding: 12, ...emptyDomain },
    axis: { format: '.0%' },
  } as const;
  const seriesLabels = unique(options.series.map((series) => series.label));
  const markerLabels = unique(markers.map((marker) => marker.label));
  return {
    description: options.title,
    title: { text: options.title, ...(options.subtitle !== undefined ? { subtitle: options.subtitle } : {}) },
    width: plotWidth,
    height: plotHeight,
    // The view grows around the plot to hold the title, the axes and the legends.
    autosize: { type: 'pad', contains: 'padding' },
    padding: 12,
    background: '#ffffff',
    config: {
      font: 'sans-serif',
      title: { fontSize: 16, subtitleFontSize: 12, anchor: 'start', limit: 0 },
      axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0, titleLimit: 0 },
      legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0, titleLimit: 0, symbolStrokeWidth: 2 },
    },
    layer: [
      {
        data: { values: seriesRows },
        mark: { type: 'line', point: { size: 18, filled: true }, strokeWidth: 2, strokeJoin: 'round' },
        encoding: {
          x,
          y,
          description: { field: 'description' },
          color: {
            field: 'label',
            type: 'nominal',
            title: chartLegendTitles.series,
            scale: { domain: seriesLabels, range: seriesColours.slice(0, Math.max(1, seriesLabels.length)) },
            legend: { orient: 'right', symbolType: 'stroke' },
          },
        },
      },
      {
        // After the lines, so the markers are drawn over them.
        data: { values: markerRows },
        mark: { type: 'point', filled: false, strokeWidth: 2.5, opacity: 1 },
        encoding: {
          x,
          y,
          description: { field: 'description' },
          stroke: {
            field: 'label',
            type: 'nominal',
            title: chartLegendTitles.markers,
            scale: { domain: markerLabels, range: cycle(markerColours, markerLabels.length) },
          },
          shape: {
            field: 'label',
            type: 'nominal',
            title: chartLegendTitles.markers,
            scale: { domain: markerLabels, range: cycle(markerShapes, markerLabels.length) },
          },
          size: { field: 'size', type: 'quantitative', scale: null, legend: null },
          // Largest first, so a smaller marker on the same spot lies inside, not under, a larger one.
          order: { field: 'size', sort: 'descending' },
        },
      },
    ],
    resolve: { scale: { color: 'independent', stroke: 'independent', shape: 'independent' } },
  };
}

function validateChartPoints(series: readonly ChartSeries[], markers: readonly ChartMarker[]): void {
  const check = (point: CostAccuracyPoint, where: string) => {
    if (!Number.isFinite(point.costPer1kUsd)) {
      throw new RangeError(
        `costAccuracyChartSpec: ${where}.costPer1kUsd must be a finite number, got ${point.costPer1kUsd}`,
      );
    }
    if (!(point.accuracy >= 0 && point.accuracy <= 1)) {
      throw new RangeError(
        `costAccuracyChartSpec: ${where}.accuracy must be a number from 0 to 1, got ${point.accuracy}`,
      );
    }
  };
  series.forEach((entry, seriesIndex) =>
    entry.points.forEach((point, pointIndex) => check(point, `series[${seriesIndex}].points[${pointIndex}]`)),
  );
  markers.forEach((marker, index) => check(marker, `markers[${index}]`));
}

/** A point as a data row, with the words a screen reader says for it. */
function pointRow(point: CostAccuracyPoint, label: string) {
  const description = `${label}: $${point.costPer1kUsd.toFixed(2)} per 1,000 requests, ${(point.accuracy * 100).toFixed(1)}% accurate`;
  return { label, costPer1kUsd: point.costPer1kUsd, accuracy: point.accuracy, description };
}

function unique(labels: readonly string[]): string[] {
  return [...new Set(labels)];
}

/** `count` entries of `values`, starting over when they run out (a scale's range must not be empty). */
function cycle(values: readonly string[], count: number): string[] {
  return Array.from({ length: Math.max(1, count) }, (_unused, index) => values[index % values.length]!);
}

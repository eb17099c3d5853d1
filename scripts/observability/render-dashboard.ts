import { readFile, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { TopLevelSpec } from 'vega-lite';
import { renderChartPng } from '../../evaluation/analysis/render-chart';
import { observabilityFiles, withoutTemplateVariables } from './observability-files';

/**
 * Draws the dashboard's panels from a real Prometheus: each panel's own queries (Grafana's variables
 * replaced: every route, a 1-minute rate window) over a time range, as one PNG. It is how the dashboard
 * looks on data, for the README, where no Grafana runs:
 *   npx tsx scripts/observability/render-dashboard.ts --prometheus http://127.0.0.1:9090 --minutes 10 --out deploy/grafana/preview.png
 */

interface Panel {
  type: string;
  title?: string;
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: Array<{ expr?: string; legendFormat?: string }>;
}

interface Series {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  value?: [number, string];
}

async function main(): Promise<void> {
  const options = new Command()
    .requiredOption('--prometheus <url>', 'the Prometheus that scraped the cascades')
    .option('--minutes <count>', 'the range drawn, ending now', '10')
    .option('--rate-window <duration>', 'what $__rate_interval stands for', '1m')
    .requiredOption('--out <file>', 'the PNG to write')
    .option('--scale <pixels>', 'pixels per unit of the drawing', '1.2')
    .parse()
    .opts<{ prometheus: string; minutes: string; rateWindow: string; out: string; scale: string }>();
  const dashboard = JSON.parse(await readFile(observabilityFiles.dashboard, 'utf8')) as { panels: Panel[] };
  const end = Date.now() / 1000;
  const start = end - Number(options.minutes) * 60;
  const step = Math.max(5, Math.round((end - start) / 120));
  const query = async (path: string, parameters: Record<string, string>): Promise<Series[]> => {
    const url = new URL(path, options.prometheus);
    for (const [key, value] of Object.entries(parameters)) url.searchParams.set(key, value);
    const response = await fetch(url);
    const body = (await response.json()) as { status: string; error?: string; data?: { result: Series[] } };
    if (body.status !== 'success') throw new Error(`${parameters.query}: ${body.error}`);
    return body.data?.result ?? [];
  };
  const exprOf = (expr: string) => withoutTemplateVariables(expr.replaceAll('$__rate_interval', options.rateWindow));

  const stats: object[] = [];
  const charts: object[] = [];
  for (const panel of dashboard.panels) {
    const unit = panel.fieldConfig?.defaults?.unit ?? 'short';
    if (panel.type === 'stat') {
      const [result] = await query('/api/v1/query', { query: exprOf(panel.targets![0]!.expr!), time: String(end) });
      const value = result?.value ? Number(result.value[1]) : Number.NaN;
      stats.push({
        title: { text: panel.title, fontSize: 12 },
        width: 150,
        height: 40,
        data: { values: [{ text: Number.isFinite(value) ? formatValue(value, unit) : 'no data' }] },
        mark: { type: 'text', fontSize: 24, fontWeight: 'bold', color: '#1f77b4' },
        encoding: { text: { field: 'text', type: 'nominal' } },
      });
    } else if (panel.type === 'timeseries') {
      const points: Array<{ time: number; value: number; series: string }> = [];
      for (const target of panel.targets ?? []) {
        if (!target.expr) continue;
        const results = await query('/api/v1/query_range', {
          query: exprOf(target.expr),
          start: String(start),
          end: String(end),
          step: String(step),
        });
        for (const result of results) {
          const series = (target.legendFormat ?? '').replace(
            /\{\{\s*(\w+)\s*\}\}/g,
            (_match, label: string) => result.metric[label] ?? '',
          );
          for (const [time, value] of result.values ?? []) {
            const number = Number(value);
            if (Number.isFinite(number)) points.push({ time: time * 1000, value: number, series: series || 'value' });
          }
        }
      }
      // A panel without data (the API's, when no API ran) is left out rather than drawn empty.
      if (points.length === 0) continue;
      charts.push({
        title: { text: panel.title, fontSize: 12, anchor: 'start' },
        width: 380,
        height: 130,
        data: { values: points },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: {
            field: 'time',
            type: 'temporal',
            title: null,
            axis: { format: '%H:%M:%S', labelFontSize: 9, tickCount: 5 },
          },
          y: {
            field: 'value',
            type: 'quantitative',
            title: null,
            axis: { format: axisFormat(unit), labelFontSize: 9 },
          },
          color: {
            field: 'series',
            type: 'nominal',
            legend: { orient: 'bottom', title: null, labelFontSize: 9, columns: 3, labelLimit: 160 },
          },
        },
      });
    }
  }
  // Each panel keeps its own colours and legend, as in Grafana.
  const independent = { scale: { color: 'independent' }, legend: { color: 'independent' } };
  const rows: object[] = [{ hconcat: stats.slice(0, 6) }];
  for (let index = 0; index < charts.length; index += 2)
    rows.push({ hconcat: charts.slice(index, index + 2), resolve: independent });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: "temporal-cascade · the dashboard's queries on a real Prometheus scrape of the demo",
      subtitle: `${new Date(start * 1000).toISOString().slice(0, 16)} – ${new Date(end * 1000).toISOString().slice(11, 16)} UTC, every route, rates over ${options.rateWindow}`,
      anchor: 'start',
    },
    vconcat: rows,
    resolve: independent,
    config: { view: { stroke: '#ddd' }, background: 'white', concat: { spacing: 24 } },
  } as unknown as TopLevelSpec;
  await writeFile(options.out, await renderChartPng(spec, { scale: Number(options.scale) }));
  console.log(`wrote ${options.out}: ${stats.length} stats and ${charts.length} panels`);
}

function formatValue(value: number, unit: string): string {
  if (unit === 'percentunit') return `${(value * 100).toFixed(1)}%`;
  if (unit === 'currencyUSD') return `$${value.toFixed(4)}`;
  if (unit === 'reqps') return `${value.toFixed(2)} req/s`;
  return value.toFixed(2);
}

function axisFormat(unit: string): string {
  if (unit === 'percentunit') return '.0%';
  if (unit === 'currencyUSD') return '$~s';
  return '~s';
}

void main();

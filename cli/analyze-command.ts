import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { buildCascadeReport } from '../evaluation/analysis/cascade-report';
import { cascadeReportChartSpec } from '../evaluation/analysis/cascade-report-chart';
import { chartFormatOf, ChartFormatError, writeChartFile } from '../evaluation/analysis/chart-file';
import { renderCascadeReport } from '../evaluation/analysis/render-report';
import { EvaluationInputError } from '../evaluation/runs/evaluation-input-error';
import { describePriceSources, mixesPriceSources, priceSourcesOf } from '../evaluation/runs/price-sources';
import type { HoldoutPart } from '../evaluation/runs/select-rows';
import { thresholdOf } from '../evaluation/runs/thresholded-gate';
import { createLogger } from '../workers/pino-logger';
import { printReport, reportFailure } from './command-output';
import { describeHoldout, holdoutOptions, holdoutSplitOf } from './holdout-options';
import { demoFiles } from '../local-stack/local-stack';
import { parsePositiveInteger } from './option-parsers';
import { createProgressBar } from './progress-bar';
import { evaluateSelectedRows } from './dataset-evaluation';

interface AnalyzeCommandOptions {
  dataset: string;
  route: string;
  cheap?: string;
  flagship?: string;
  subset?: string;
  config: string;
  holdout?: number;
  part?: HoldoutPart;
  limit?: number;
  concurrency: number;
  chart?: string;
  json: boolean;
}

export function registerAnalyzeCommand(program: Command): void {
  const [holdoutOption, partOption] = holdoutOptions('holdout');
  program
    .command('analyze')
    .description(
      'measure a route on a labelled replay dataset: every row through a real cascade workflow (with a shadow flagship call), then cost against accuracy at every threshold',
    )
    .requiredOption('--dataset <file>', 'replay dataset (JSONL, gzipped or not) whose rows carry correctness labels')
    .requiredOption('--route <name>', 'the route to measure')
    .option('--cheap <model>', "a dataset model to serve the route's cheap tier (replayed by the local model server)")
    .option('--flagship <model>', "a dataset model to serve the route's flagship tier")
    .option(
      '--subset <names>',
      'only rows whose dataset is one of these (comma-separated), exactly or by its last path segment (e.g. mmlu,medmcqa)',
    )
    .option('--config <file>', 'the routes file', demoFiles.routes)
    .addOption(holdoutOption)
    .addOption(partOption)
    .addOption(new Option('--limit <count>', 'the first this many selected rows').argParser(parsePositiveInteger))
    .addOption(
      new Option('--concurrency <count>', 'cascades in flight at once').argParser(parsePositiveInteger).default(8),
    )
    .option(
      '--chart <file>',
      'where to write the chart, an SVG or PNG image by the extension (default analysis-<route>.svg in the current directory)',
    )
    .option('--json', 'print the report as one JSON object', false)
    .action(async (options: AnalyzeCommandOptions) => {
      process.exitCode = await analyzeCommand(options);
    });
}

async function analyzeCommand(options: AnalyzeCommandOptions): Promise<number> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'error' });
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const bar = createProgressBar('cascades');
  try {
    const holdout = holdoutSplitOf(options, 'holdout');
    const chartPath = resolve(options.chart ?? `analysis-${options.route}.svg`);
    chartFormatOf(chartPath);
    const evaluation = await evaluateSelectedRows(options, { holdout, logger, say, progress: bar });
    bar.stop();
    const { run, runKey, cheap, flagship, elapsedMs } = evaluation;
    const items = evaluation.rows;

    const threshold = thresholdOf(evaluation.thresholded);
    const report = buildCascadeReport({ records: run.records, threshold });
    const title = `${options.route} · ${cheap} → ${flagship}`;
    await writeChartFile({
      path: chartPath,
      spec: cascadeReportChartSpec(report, { title: `Cascade cost against accuracy · ${title}` }),
    });

    const priceSources = priceSourcesOf(evaluation.policy);
    const runSummary = {
      route: options.route,
      dataset: options.dataset,
      ...(options.subset !== undefined ? { subset: options.subset } : {}),
      ...(holdout !== undefined ? { holdout } : {}),
      cheap,
      flagship,
      runKey,
      workflowIdPrefix: `cascade-eval-${runKey}-`,
      items: items.length,
      resumed: run.resumed,
      elapsedMs: Math.round(elapsedMs),
      unpricedModels: evaluation.unpricedModels,
      prices: { sources: priceSources, mixed: mixesPriceSources(priceSources) },
      failures: run.failures,
      chart: chartPath,
    };
    printReport({
      json: options.json,
      report: { run: runSummary, ...report },
      text: () =>
        [
          renderCascadeReport(report, { title: `Cascade analysis · ${title}` }),
          '',
          `run ${runKey} · ${items.length} items in ${(elapsedMs / 1000).toFixed(1)} s · ${run.resumed} resumed from an earlier run`,
          describePriceSources(priceSources),
          ...(holdout !== undefined ? [`rows: ${describeHoldout(holdout, items.length)}`] : []),
          ...(run.failures.length > 0
            ? [
                `${run.failures.length} items without a flagship answer (counted as flagship wrong):`,
                ...run.failures.map((failure) => `  ${failure.id} (${failure.type}): ${failure.message}`),
              ]
            : []),
          `chart: ${chartPath}`,
        ].join('\n'),
    });
    return 0;
  } catch (error) {
    bar.stop();
    const exitCode = reportFailure(error, { json: options.json });
    return EvaluationInputError.isInstance(error) || ChartFormatError.isInstance(error) ? 2 : exitCode;
  }
}

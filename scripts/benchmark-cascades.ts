/**
 * The cascade benchmark on recorded answers: for each benchmark and model pair, the verdict of `cascade tune`
 * for a confidence gate (decision on the raw log-probability) and the figures of the whole tuning procedure
 * on rows it never saw: the test file's rows when `--test` is given (every decision tuned on the train file
 * only), else pooled cross-validation folds of the train file. Prices: the dataset's recorded costs, and the
 * price table's where it prices both models, never mixed in one figure.
 *
 *   npx tsx scripts/benchmark-cascades.ts --train FILE [--test FILE] [--max-accuracy-loss 2] [--method exact|model-based]
 *     [--paper-targets FILE] [--out bench/results] [--chart-format svg|png] [--json]
 *
 * FILE is a replay dataset (format v1), e.g. the rational-cascades train split.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { chartFormats, writeChartFile, type ChartFormat } from '../evaluation/analysis/chart-file';
import {
  benchmarkCases,
  benchmarkChartSpec,
  renderBenchmarkTable,
  runBenchmark,
  type PaperTarget,
} from '../bench/cascade-benchmark';
import { loadRecordedDataset } from '../evaluation/datasets/recorded-dataset';

async function main(): Promise<void> {
  const options = new Command('benchmark-cascades')
    .requiredOption('--train <file>', 'replay dataset every decision is tuned on (JSONL or JSONL.gz, format v1)')
    .option('--test <file>', 'replay dataset the decisions are scored on; without it, cross-validation inside --train')
    .addOption(
      new Option(
        '--max-accuracy-loss <points>',
        'the loss target of the verdict, in points against the flagship',
      ).default('2'),
    )
    .addOption(
      new Option('--method <method>', 'how the loss target is certified')
        .choices(['exact', 'model-based'])
        .default('exact'),
    )
    .option('--confidence <fraction>', 'how sure the guarantee is', '0.95')
    .option('--folds <count>', 'cross-validation folds (without --test)', '5')
    .option('--resamples <count>', 'bootstrap resamples of the model-based method', '1000')
    .option('--paper-targets <file>', 'published areas to compare with (JSON with a "targets" list)')
    .option('--out <directory>', 'also write the table, the JSON results and one chart per benchmark here')
    .addOption(
      new Option('--chart-format <format>', 'the charts written with --out').choices(chartFormats).default('svg'),
    )
    .option('--json', 'print the results as one JSON object', false)
    .parse(process.argv)
    .opts<{
      train: string;
      test?: string;
      maxAccuracyLoss: string;
      method: 'exact' | 'model-based';
      confidence: string;
      folds: string;
      resamples: string;
      paperTargets?: string;
      out?: string;
      chartFormat: ChartFormat;
      json: boolean;
    }>();

  const startedAt = performance.now();
  const train = await loadRecordedDataset(resolve(options.train));
  const test = options.test === undefined ? undefined : await loadRecordedDataset(resolve(options.test));
  const paperTargets = options.paperTargets
    ? (JSON.parse(readFileSync(resolve(options.paperTargets), 'utf8')) as { targets: PaperTarget[] }).targets
    : undefined;
  const maxAccuracyLossPoints = Number(options.maxAccuracyLoss);
  const results = runBenchmark({
    train,
    ...(test ? { test } : {}),
    paperTargets,
    maxAccuracyLossPoints,
    method: options.method,
    confidence: Number(options.confidence),
    folds: Number(options.folds),
    resamples: Number(options.resamples),
  });
  const summary = {
    train: basename(options.train),
    ...(options.test ? { test: basename(options.test) } : {}),
    scoring: test ? 'train-test' : `${options.folds}-fold cross-validation inside the train file`,
    maxAccuracyLossPoints,
    method: options.method,
    confidence: Number(options.confidence),
    results,
  };
  const table = renderBenchmarkTable(results, { maxAccuracyLossPoints });
  if (options.out) {
    const out = resolve(options.out);
    mkdirSync(out, { recursive: true });
    const stem = `cascade-benchmark-${options.method}`;
    writeFileSync(join(out, `${stem}.json`), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(join(out, `${stem}.md`), `${table}\n`);
    for (const benchmark of [...new Set(benchmarkCases.map((benchmarkCase) => benchmarkCase.benchmark))]) {
      if (results.some((result) => result.benchmark === benchmark))
        await writeChartFile({
          path: join(out, `${stem}-${benchmark}.${options.chartFormat}`),
          spec: benchmarkChartSpec(results, benchmark),
        });
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else
    process.stdout.write(
      `${table}\n\n${results.length} cases, ${summary.scoring}, in ${((performance.now() - startedAt) / 1000).toFixed(1)} s${options.out ? `; written to ${resolve(options.out)}` : ''}\n`,
    );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

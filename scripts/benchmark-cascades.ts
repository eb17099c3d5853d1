/**
 * The cascade benchmark on recorded answers: for each benchmark and model pair, a confidence gate
 * tuned by cross-validation (calibration and threshold fitted on four folds, figures taken on the
 * fifth), and the cost-accuracy curve of the signal. Writes a Markdown table, the JSON results and
 * one SVG chart per benchmark.
 *
 *   npx tsx scripts/benchmark-cascades.ts --dataset FILE [--paper-targets FILE] [--out bench/results]
 *
 * FILE is a replay dataset (format v1), e.g. the rational-cascades train split. Tuning and evaluation
 * never share a row in any reported cascade figure.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { benchmarkCases, renderBenchmarkChart, renderBenchmarkTable, runBenchmark, type PaperTarget } from '../bench/cascade-benchmark';
import { loadRecordedDataset } from '../datasets/recorded-dataset';

async function main(): Promise<void> {
  const options = new Command('benchmark-cascades')
    .requiredOption('--dataset <file>', 'replay dataset (JSONL or JSONL.gz, format v1)')
    .option('--paper-targets <file>', 'published AUC figures to compare with (JSON with a "targets" list)')
    .option('--out <directory>', 'where to write the results', 'bench/results')
    .option('--bootstrap-samples <count>', 'bootstrap resamples of each threshold fit', '1000')
    .parse(process.argv)
    .opts<{ dataset: string; paperTargets?: string; out: string; bootstrapSamples: string }>();

  const startedAt = performance.now();
  const rows = await loadRecordedDataset(resolve(options.dataset));
  const paperTargets = options.paperTargets ? (JSON.parse(readFileSync(resolve(options.paperTargets), 'utf8')) as { targets: PaperTarget[] }).targets : undefined;
  const results = runBenchmark({ rows, paperTargets, bootstrapSamples: Number(options.bootstrapSamples) });
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'cascade-benchmark.json'), `${JSON.stringify({ dataset: options.dataset.split('/').pop(), rows: rows.length, results }, null, 2)}\n`);
  writeFileSync(join(out, 'cascade-benchmark.md'), `${renderBenchmarkTable(results)}\n`);
  for (const benchmark of [...new Set(benchmarkCases.map((benchmarkCase) => benchmarkCase.benchmark))]) {
    if (results.some((result) => result.benchmark === benchmark)) writeFileSync(join(out, `cascade-benchmark-${benchmark}.svg`), renderBenchmarkChart(results, benchmark));
  }
  process.stdout.write(`${renderBenchmarkTable(results)}\n\n${results.length} cases from ${rows.length} rows in ${((performance.now() - startedAt) / 1000).toFixed(1)} s; written to ${out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

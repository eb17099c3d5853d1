/**
 * Writes the demo's exam tuning set: every MMLU and MedMCQA row of the `qwen_oai` family (gpt-4o-mini →
 * gpt-4o) in the rational-cascades train split that is not in the sample the demo replays, by id or by prompt.
 * `cascade tune` fits the demo's `exam-qa` gate on it; see local-stack/demo/data/README.md.
 *
 *   npx tsx scripts/make-demo-tuning-set.ts [--train ../shared/datasets/rational-cascades-train.jsonl.gz]
 *     [--sample local-stack/demo/data/rational-cascades-sample.jsonl.gz] [--out local-stack/demo/data/exam-tuning.jsonl.gz]
 *
 * Output: gzipped JSONL, format v1, the rows in the train file's order.
 */
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Command } from 'commander';
import { loadRecordedDataset } from '../evaluation/datasets/recorded-dataset';
import { examTuningRows } from '../local-stack/demo/exam-tuning-rows';

const projectRoot = join(__dirname, '..');

async function main(): Promise<void> {
  const options = new Command('make-demo-tuning-set')
    .option(
      '--train <file>',
      'the rational-cascades train split (format v1)',
      join(projectRoot, '..', 'shared', 'datasets', 'rational-cascades-train.jsonl.gz'),
    )
    .option(
      '--sample <file>',
      'the rows the demo replays',
      join(projectRoot, 'local-stack', 'demo', 'data', 'rational-cascades-sample.jsonl.gz'),
    )
    .option(
      '--out <file>',
      'where to write the tuning set (gzipped JSONL)',
      join(projectRoot, 'local-stack', 'demo', 'data', 'exam-tuning.jsonl.gz'),
    )
    .parse(process.argv)
    .opts<{ train: string; sample: string; out: string }>();

  const source = await loadRecordedDataset(resolve(options.train));
  const replayed = await loadRecordedDataset(resolve(options.sample));
  const rows = examTuningRows({ source, replayed });
  const text = rows.map((row) => `${JSON.stringify(row)}\n`).join('');
  // Level 9 and gzip's zero timestamp: the same rows give the same bytes.
  writeFileSync(resolve(options.out), gzipSync(text, { level: 9 }));
  const perDataset = new Map<string, number>();
  for (const row of rows) perDataset.set(row.dataset, (perDataset.get(row.dataset) ?? 0) + 1);
  const counts = [...perDataset].map(([dataset, count]) => `${count} ${dataset}`).join(', ');
  process.stdout.write(`wrote ${rows.length} rows (${counts}) to ${relative(process.cwd(), resolve(options.out))}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { join } from 'node:path';
import { renderChartSvg } from '../evaluation/analysis/render-chart';
import { loadRecordedDataset } from '../evaluation/datasets/recorded-dataset';
import type { RecordedRow } from '../evaluation/datasets/recorded-row';
import { benchmarkChartSpec, renderBenchmarkTable, runBenchmark, type BenchmarkResult } from './cascade-benchmark';

/** The benchmark on shipped rows: the demo's tuning set (525 exam rows) and sample (60 exam rows). */
describe('cascade benchmark on recorded answers', () => {
  let train: RecordedRow[];
  let test: RecordedRow[];
  const cases = [
    { benchmark: 'medmcqa', family: 'qwen_oai', cheap: 'gpt-4o-mini', flagship: 'gpt-4o' },
    { benchmark: 'mmlu', family: 'qwen_oai', cheap: 'gpt-4o-mini', flagship: 'gpt-4o' },
  ];
  const fast = { resamples: 200, maxAccuracyLossPoints: 2 };
  let crossValidated: BenchmarkResult[];
  let trainTest: BenchmarkResult[];

  beforeAll(async () => {
    train = await loadRecordedDataset(join(__dirname, '..', 'local-stack', 'demo', 'data', 'exam-tuning.jsonl.gz'));
    test = await loadRecordedDataset(
      join(__dirname, '..', 'local-stack', 'demo', 'data', 'rational-cascades-sample.jsonl.gz'),
    );
    crossValidated = runBenchmark({ train, cases, ...fast });
    trainTest = runBenchmark({ train, test, cases, ...fast });
  });

  it('scores by cross-validation inside the train rows, or on the test rows with decisions tuned on the train rows', () => {
    expect(
      crossValidated.map((result) => [result.benchmark, result.scoring, result.trainRows, result.scoredRows]),
    ).toEqual([
      ['medmcqa', 'cross-validated', 270, 270],
      ['mmlu', 'cross-validated', 255, 255],
    ]);
    expect(trainTest.map((result) => [result.benchmark, result.scoring, result.trainRows, result.scoredRows])).toEqual([
      ['medmcqa', 'train-test', 270, 30],
      ['mmlu', 'train-test', 255, 30],
    ]);
  });

  it('reports flagship-only figures that agree with the scored rows’ labels and recorded costs', () => {
    const medmcqa = test.filter((row) => row.family === 'qwen_oai' && row.dataset.endsWith('/medmcqa'));
    const figures = trainTest[0]!.figures.find((entry) => entry.prices === 'recorded')!.cascade;
    expect(figures.flagshipAccuracy).toBeCloseTo(
      medmcqa.filter((row) => row.responses['gpt-4o']!.correct).length / medmcqa.length,
      12,
    );
    expect(figures.flagshipCostPer1kUsd).toBeCloseTo(
      (medmcqa.reduce((total, row) => total + row.responses['gpt-4o']!.cost_usd, 0) / medmcqa.length) * 1000,
      9,
    );
    expect(figures.accuracyGapPoints).toBeCloseTo((figures.accuracy - figures.flagshipAccuracy) * 100, 9);
  });

  it('never scores a cascade that costs more than the flagship alone', () => {
    for (const result of [...crossValidated, ...trainTest]) {
      for (const figures of result.figures) {
        expect(figures.cascade.costShare).toBeLessThanOrEqual(1 + 1e-9);
        expect(figures.curve.length).toBeGreaterThan(5);
      }
    }
  });

  it('draws the tuned curve on test rows no better than every threshold chosen in hindsight on them', () => {
    // Each tuned point is one threshold applied to the test rows, so it cannot beat the frontier of all of them.
    for (const figures of trainTest.flatMap((result) => result.figures))
      expect(figures.tunedArea).toBeGreaterThanOrEqual(figures.hindsightArea - 1e-12);
  });

  it('is reproducible, and renders a table row per case and price source, and a chart per benchmark', async () => {
    expect(runBenchmark({ train, cases, ...fast })).toEqual(crossValidated);
    const table = renderBenchmarkTable(crossValidated, { maxAccuracyLossPoints: 2 });
    expect(table.split('\n')).toHaveLength(
      2 + crossValidated.reduce((total, result) => total + result.figures.length, 0),
    );
    expect(table).toContain('| medmcqa | gpt-4o-mini → gpt-4o | 270 |');
    const chart = await renderChartSvg(benchmarkChartSpec(crossValidated, 'medmcqa'));
    expect(chart.startsWith('<svg')).toBe(true);
    expect(chart).toContain('>tuned gpt-4o-mini → gpt-4o</text>');
    expect(chart).toContain('>medmcqa: tuned cascades</text>');
  });
});

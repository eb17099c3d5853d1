import { join } from 'node:path';
import { loadRecordedDataset } from '../datasets/recorded-dataset';
import type { RecordedRow } from '../datasets/recorded-row';
import { renderBenchmarkChart, renderBenchmarkTable, runBenchmark, type BenchmarkResult } from './cascade-benchmark';

/** The benchmark on the committed sample (60 exam rows, 60 math rows): a small slice of the full run. */
describe('cascade benchmark on a slice of recorded answers', () => {
  let rows: RecordedRow[];
  let results: BenchmarkResult[];
  const cases = [
    { benchmark: 'medmcqa', family: 'qwen_oai', cheap: 'gpt-4o-mini', flagship: 'gpt-4o' },
    { benchmark: 'gsm8k', family: 'llama', cheap: 'llama3.1-8b', flagship: 'llama3.1-405b' },
  ];
  const paperTargets = [{ benchmark: 'gsm8k', cheap: 'llama3.1-8b', flagship: 'llama3.1-405b', auc_err_norm: 0.075, cost_bounds_microusd: [150, 2500] as [number, number] }];

  beforeAll(async () => {
    rows = await loadRecordedDataset(join(__dirname, '..', 'demo', 'data', 'rational-cascades-sample.jsonl.gz'));
    results = runBenchmark({ rows, cases, paperTargets, bootstrapSamples: 200, folds: 3 });
  });

  it('benchmarks every case on exactly its rows', () => {
    expect(results.map((result) => [result.benchmark, result.rows])).toEqual([
      ['medmcqa', 30],
      ['gsm8k', 60],
    ]);
  });

  it('reports strategies that agree with the recorded labels and costs', () => {
    const gsm8k = rows.filter((row) => row.family === 'llama' && row.dataset.endsWith('/gsm8k'));
    const result = results.find((candidate) => candidate.benchmark === 'gsm8k')!;
    const accuracy = (model: string) => gsm8k.filter((row) => row.responses[model]!.correct).length / gsm8k.length;
    const costPer1k = (model: string) => (gsm8k.reduce((total, row) => total + row.responses[model]!.cost_usd, 0) / gsm8k.length) * 1000;
    expect(result.cheapOnly.accuracy).toBeCloseTo(accuracy('llama3.1-8b'), 12);
    expect(result.flagshipOnly.accuracy).toBeCloseTo(accuracy('llama3.1-405b'), 12);
    expect(result.cheapOnly.costPer1kUsd).toBeCloseTo(costPer1k('llama3.1-8b'), 9);
    expect(result.flagshipOnly.costPer1kUsd).toBeCloseTo(costPer1k('llama3.1-405b'), 9);
  });

  it('gives held-out cascade figures between the cheap-only and everything-escalated extremes', () => {
    for (const result of results) {
      expect(result.cascade.escalationRate).toBeGreaterThanOrEqual(0);
      expect(result.cascade.escalationRate).toBeLessThanOrEqual(1);
      expect(result.cascade.costPer1kUsd).toBeGreaterThanOrEqual(result.cheapOnly.costPer1kUsd - 1e-9);
      expect(result.cascade.costPer1kUsd).toBeLessThanOrEqual(result.cheapOnly.costPer1kUsd + result.flagshipOnly.costPer1kUsd + 1e-9);
      expect(result.accuracyGapPoints).toBeCloseTo((result.cascade.accuracy - result.flagshipOnly.accuracy) * 100, 9);
      expect(result.auc).toBeGreaterThanOrEqual(0);
      expect(result.auc).toBeLessThanOrEqual(1);
    }
  });

  it('compares with a published figure where one exists, on its cost bounds', () => {
    const gsm8k = results.find((result) => result.benchmark === 'gsm8k')!;
    expect(gsm8k.paper).toMatchObject({ paperAuc: 0.075, costBoundsPer1kUsd: [0.15, 2.5] });
    expect(results.find((result) => result.benchmark === 'medmcqa')!.paper).toBeUndefined();
  });

  it('is reproducible, and renders a table row per case and a chart per benchmark', () => {
    const again = runBenchmark({ rows, cases, paperTargets, bootstrapSamples: 200, folds: 3 });
    expect(again).toEqual(results);
    const table = renderBenchmarkTable(results);
    expect(table.split('\n')).toHaveLength(2 + results.length);
    expect(table).toContain('| gsm8k | llama3.1-8b → llama3.1-405b | 60 |');
    const chart = renderBenchmarkChart(results, 'gsm8k');
    expect(chart.startsWith('<svg')).toBe(true);
    expect(chart).toContain('llama-8b → llama-405b');
  });
});

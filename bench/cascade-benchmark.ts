import { areaUnderCostAccuracyCurve } from '../analysis/area-under-cost-accuracy-curve';
import { strategyFigures } from '../analysis/cascade-at-threshold';
import { renderCostAccuracyChart } from '../analysis/cost-accuracy-chart';
import type { EvaluationRecord } from '../analysis/evaluation-record';
import { thresholdSweep } from '../analysis/threshold-sweep';
import type { RecordedRow } from '../datasets/recorded-row';
import { crossValidate } from '../tuning/cross-validate';
import type { TuningObjective } from '../tuning/tuning-objective';
import { recordedEvaluationRecords } from './recorded-evaluation-records';

/** One cascade to benchmark: a benchmark's rows, two recorded models. */
export interface BenchmarkCase {
  benchmark: string;
  family: string;
  cheap: string;
  flagship: string;
}

/** The cases the project reports: each benchmark with three pairs. */
export const benchmarkCases: BenchmarkCase[] = ['mmlu', 'medmcqa', 'triviaqa', 'truthfulqa', 'gsm8k'].flatMap((benchmark) => [
  { benchmark, family: 'qwen_oai', cheap: 'gpt-4o-mini', flagship: 'gpt-4o' },
  { benchmark, family: 'llama', cheap: 'llama3.1-8b', flagship: 'llama3.1-405b' },
  { benchmark, family: 'llama', cheap: 'llama3.1-70b', flagship: 'llama3.1-405b' },
]);

/** A published figure to compare with: normalised area under the error-against-cost curve. */
export interface PaperTarget {
  benchmark: string;
  cheap: string;
  flagship: string;
  auc_err_norm: number;
  cost_bounds_microusd: [number, number];
}

export interface BenchmarkOptions {
  rows: readonly RecordedRow[];
  cases?: BenchmarkCase[];
  /** What the tuner aims for. @default quality retention 0.995 (within about half a point of the flagship) */
  objective?: TuningObjective;
  /** @default 5 */
  folds?: number;
  /** @default 1000 */
  bootstrapSamples?: number;
  /** @default 20261122 */
  seed?: number;
  paperTargets?: readonly PaperTarget[];
}

export interface BenchmarkResult extends BenchmarkCase {
  rows: number;
  cheapOnly: { accuracy: number; costPer1kUsd: number };
  flagshipOnly: { accuracy: number; costPer1kUsd: number };
  /** The tuned cascade, cross-validated: every row scored by a tuning fitted without it. */
  cascade: { accuracy: number; costPer1kUsd: number; escalationRate: number; foldsMeetingObjective: number };
  /** Cascade accuracy minus flagship-only accuracy, in points. */
  accuracyGapPoints: number;
  /** Cascade cost as a share of flagship-only cost, in percent. */
  costSharePct: number;
  /** Normalised area under the error-against-cost curve of the confidence signal (lower is better). */
  auc: number;
  /** The same figure, over the paper's cost bounds, and the paper's own, where it reports the pair. */
  paper?: { auc: number; paperAuc: number; costBoundsPer1kUsd: [number, number] };
  /** The cost-accuracy curve of the signal, for the chart. */
  curve: Array<{ costPer1kUsd: number; accuracy: number }>;
}

const defaultObjective: TuningObjective = { kind: 'target-quality-retention', retention: 0.995 };

/**
 * For each case: evaluation records from the recorded answers with a confidence gate (isotonic
 * calibration), then k-fold cross-validation of the whole tuning (calibration and threshold), so the
 * reported cascade figures come only from rows each fold's tuning never saw. The curve and its area
 * need no fitting: they sweep the raw signal's thresholds over all rows.
 */
export function runBenchmark(options: BenchmarkOptions): BenchmarkResult[] {
  const results: BenchmarkResult[] = [];
  for (const benchmarkCase of options.cases ?? benchmarkCases) {
    const rows = options.rows.filter((row) => row.family === benchmarkCase.family && row.dataset.endsWith(`/${benchmarkCase.benchmark}`));
    const records = recordedEvaluationRecords({ rows, cheap: benchmarkCase.cheap, flagship: benchmarkCase.flagship, gate: { kind: 'confidence', threshold: 0.5 } });
    if (records.length < (options.folds ?? 5) * 2) continue;
    results.push(benchmarkOne({ ...options, benchmarkCase, records }));
  }
  return results;
}

function benchmarkOne(options: BenchmarkOptions & { benchmarkCase: BenchmarkCase; records: EvaluationRecord[] }): BenchmarkResult {
  const { records, benchmarkCase } = options;
  const strategies = strategyFigures(records);
  const validation = crossValidate({
    records,
    objective: options.objective ?? defaultObjective,
    folds: options.folds ?? 5,
    seed: options.seed ?? 20261122,
    calibrate: 'isotonic',
    bootstrapSamples: options.bootstrapSamples ?? 1000,
  });
  const curve = thresholdSweep(records).map((row) => ({ costPer1kUsd: row.costPer1kUsd, accuracy: row.accuracy }));
  const target = options.paperTargets?.find(
    (candidate) => candidate.benchmark === benchmarkCase.benchmark && candidate.cheap === benchmarkCase.cheap && candidate.flagship === benchmarkCase.flagship,
  );
  // The paper states bounds in micro-USD per query: 1 micro-USD per query is 0.001 USD per 1,000.
  const paperBounds = target ? ([target.cost_bounds_microusd[0] / 1000, target.cost_bounds_microusd[1] / 1000] as [number, number]) : undefined;
  return {
    ...benchmarkCase,
    rows: records.length,
    cheapOnly: { accuracy: strategies.cheapOnly.accuracy, costPer1kUsd: strategies.cheapOnly.costPer1kUsd },
    flagshipOnly: { accuracy: strategies.flagshipOnly.accuracy, costPer1kUsd: strategies.flagshipOnly.costPer1kUsd },
    cascade: {
      accuracy: validation.pooled.accuracy,
      costPer1kUsd: validation.pooled.costPer1kUsd,
      escalationRate: validation.pooled.escalationRate,
      foldsMeetingObjective: validation.foldsMeetingObjective,
    },
    accuracyGapPoints: (validation.pooled.accuracy - strategies.flagshipOnly.accuracy) * 100,
    costSharePct: strategies.flagshipOnly.costPer1kUsd === 0 ? 0 : (validation.pooled.costPer1kUsd / strategies.flagshipOnly.costPer1kUsd) * 100,
    auc: areaUnderCostAccuracyCurve(curve, { costBounds: [strategies.cheapOnly.costPer1kUsd, strategies.flagshipOnly.costPer1kUsd] }),
    ...(target && paperBounds ? { paper: { auc: areaUnderCostAccuracyCurve(curve, { costBounds: paperBounds }), paperAuc: target.auc_err_norm, costBoundsPer1kUsd: paperBounds } } : {}),
    curve,
  };
}

/** The results as a Markdown table. */
export function renderBenchmarkTable(results: readonly BenchmarkResult[]): string {
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const usd = (value: number) => `$${value.toFixed(3)}`;
  const lines = [
    '| benchmark | cheap → flagship | rows | cheap-only | flagship-only | tuned cascade (held out) | gap | cost vs flagship | escalated | AUC | AUC on paper bounds (paper) |',
    '|---|---|---:|---|---|---|---:|---:|---:|---:|---|',
    ...results.map((result) =>
      [
        result.benchmark,
        `${result.cheap} → ${result.flagship}`,
        String(result.rows),
        `${percent(result.cheapOnly.accuracy)} · ${usd(result.cheapOnly.costPer1kUsd)}`,
        `${percent(result.flagshipOnly.accuracy)} · ${usd(result.flagshipOnly.costPer1kUsd)}`,
        `${percent(result.cascade.accuracy)} · ${usd(result.cascade.costPer1kUsd)}`,
        `${result.accuracyGapPoints >= 0 ? '+' : ''}${result.accuracyGapPoints.toFixed(1)} pt`,
        `${result.costSharePct.toFixed(0)}%`,
        percent(result.cascade.escalationRate),
        result.auc.toFixed(3),
        result.paper ? `${result.paper.auc.toFixed(3)} (${result.paper.paperAuc.toFixed(3)})` : '–',
      ].join(' | '),
    ).map((row) => `| ${row} |`),
  ];
  return lines.join('\n');
}

/** One chart per benchmark: each pair's curve, and the tuned cascade's held-out operating point. */
export function renderBenchmarkChart(results: readonly BenchmarkResult[], benchmark: string): string {
  const ofBenchmark = results.filter((result) => result.benchmark === benchmark);
  const pair = (result: BenchmarkResult) => `${shortModelName(result.cheap)} → ${shortModelName(result.flagship)}`;
  return renderCostAccuracyChart({
    title: `${benchmark}: accuracy against cost per 1,000 requests (recorded prices)`,
    series: ofBenchmark.map((result) => ({ label: pair(result), points: result.curve })),
    markers: ofBenchmark.map((result) => ({ label: `tuned ${pair(result)}`, costPer1kUsd: result.cascade.costPer1kUsd, accuracy: result.cascade.accuracy })),
  });
}

function shortModelName(model: string): string {
  return model.replace(/^llama3\.1-/, 'llama-');
}

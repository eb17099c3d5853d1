import type { TopLevelSpec } from 'vega-lite';
import { areaUnderCostAccuracyCurve } from '../evaluation/analysis/area-under-cost-accuracy-curve';
import { costAccuracyChartSpec } from '../evaluation/analysis/cost-accuracy-chart';
import type { EvaluationRecord } from '../evaluation/analysis/evaluation-record';
import type { RecordedRow } from '../evaluation/datasets/recorded-row';
import type { CascadeVerdict } from '../evaluation/tuning/cascade-verdict';
import { crossValidate } from '../evaluation/tuning/cross-validate';
import { defaultCurveTargets } from '../evaluation/tuning/tuned-curve';
import {
  applyTunedRoute,
  outcomeFigures,
  tuneOnce,
  type OutcomeFigures,
  type QualityMethod,
} from '../evaluation/tuning/tune-once';
import { priceTableKnows, recordedEvaluationRecords, type RecordedPriceSource } from './recorded-evaluation-records';
import { describeVerdictCounts, percent } from '../evaluation/tuning/format-figures';
import { rungFigures, thresholdLadder } from '../evaluation/tuning/threshold-ladder';

/** One cascade to benchmark: a benchmark's rows, two recorded models. */
export interface BenchmarkCase {
  benchmark: string;
  family: string;
  cheap: string;
  flagship: string;
}

/** The cases the project reports: each benchmark with three pairs. */
export const benchmarkCases: BenchmarkCase[] = ['mmlu', 'medmcqa', 'triviaqa', 'truthfulqa', 'gsm8k'].flatMap(
  (benchmark) => [
    { benchmark, family: 'qwen_oai', cheap: 'gpt-4o-mini', flagship: 'gpt-4o' },
    { benchmark, family: 'llama', cheap: 'llama3.1-8b', flagship: 'llama3.1-405b' },
    { benchmark, family: 'llama', cheap: 'llama3.1-70b', flagship: 'llama3.1-405b' },
  ],
);

/** A published figure to compare with: normalised area under the error-against-cost curve. */
export interface PaperTarget {
  benchmark: string;
  cheap: string;
  flagship: string;
  auc_err_norm: number;
  cost_bounds_microusd: [number, number];
}

export interface BenchmarkOptions {
  /** The rows every decision is tuned on. */
  train: readonly RecordedRow[];
  /** Rows to score the decisions on; without them, cross-validation inside `train`. */
  test?: readonly RecordedRow[];
  cases?: BenchmarkCase[];
  /** The loss target of the verdict, in points against the flagship. @default 2 */
  maxAccuracyLossPoints?: number;
  /** @default 'exact' */
  method?: QualityMethod;
  /** @default 0.95 */
  confidence?: number;
  /** @default 5 */
  folds?: number;
  /** @default 1000 */
  resamples?: number;
  /** @default 20261122 */
  seed?: number;
  paperTargets?: readonly PaperTarget[];
}

/** The figures of one case under one price source. Plain JSON. */
export interface PricedFigures {
  prices: RecordedPriceSource;
  /** Held-out cascade figures: on the test rows, or pooled over cross-validation folds. */
  cascade: OutcomeFigures;
  /** The verdicts behind them: one per fold, or the one decision on all train rows scored on the test rows. */
  verdicts: Partial<Record<CascadeVerdict, number>>;
  /** The tuned procedure's curve (one point per loss target), held out. */
  curve: Array<{ targetLossPoints: number; costPer1kUsd: number; accuracy: number }>;
  /** Normalised area under the tuned curve's error-against-cost, cheap-only to flagship-only cost (lower is better). */
  tunedArea: number;
  /** The same area for the raw signal in hindsight (every threshold, chosen on the scored rows themselves): a bound, not a result. */
  hindsightArea: number;
  /** The tuned curve's area on the paper's cost bounds, and the paper's figure, where it reports the pair (recorded prices only). */
  paper?: { area: number; paperArea: number; costBoundsPer1kUsd: [number, number] };
}

export interface BenchmarkResult extends BenchmarkCase {
  /** `cross-validated` inside the train rows, or `train-test`. */
  scoring: 'cross-validated' | 'train-test';
  trainRows: number;
  scoredRows: number;
  /** The verdict on all train rows: what `cascade tune` says for this cell. */
  verdict: CascadeVerdict;
  /** One entry per price source that prices both models: `recorded` always, `price-table` where the table knows them. */
  figures: PricedFigures[];
}

/**
 * For each case: the verdict of the tuned confidence gate (decision on the raw signal) on the train rows, and
 * the figures of the whole procedure on rows it never saw — the test rows when given, else pooled
 * cross-validation folds of the train rows — with the tuned procedure's curve and its area, under each
 * price source that prices both models.
 */
export function runBenchmark(options: BenchmarkOptions): BenchmarkResult[] {
  const results: BenchmarkResult[] = [];
  const settings = settingsOf(options);
  for (const benchmarkCase of options.cases ?? benchmarkCases) {
    const select = (rows: readonly RecordedRow[]) =>
      rows.filter((row) => row.family === benchmarkCase.family && row.dataset.endsWith(`/${benchmarkCase.benchmark}`));
    const trainRows = select(options.train);
    const testRows = options.test === undefined ? undefined : select(options.test);
    const recordsOf = (rows: readonly RecordedRow[], prices: RecordedPriceSource) =>
      recordedEvaluationRecords({
        rows,
        cheap: benchmarkCase.cheap,
        flagship: benchmarkCase.flagship,
        gate: { kind: 'confidence', threshold: 0.5 },
        prices,
      });
    const recordsPricedBy = (prices: RecordedPriceSource) => ({
      prices,
      train: recordsOf(trainRows, prices),
      test: testRows && recordsOf(testRows, prices),
    });
    const recorded = recordsPricedBy('recorded');
    const tablePriced =
      priceTableKnows(benchmarkCase.cheap) && priceTableKnows(benchmarkCase.flagship)
        ? recordsPricedBy('price-table')
        : undefined;
    // The price table's figures are shown beside the recorded ones only where its prices differ.
    const everyRow = (priced: typeof recorded) => [...priced.train, ...(priced.test ?? [])];
    const sources =
      tablePriced !== undefined && !sameCosts(everyRow(tablePriced), everyRow(recorded))
        ? [recorded, tablePriced]
        : [recorded];
    const train = recorded.train;
    if (train.length < settings.folds * 2 || (recorded.test !== undefined && recorded.test.length === 0)) continue;
    const verdict = tuneOnce({
      ...settings,
      records: train,
      objective: { kind: 'max-accuracy-loss', points: settings.points },
    }).decision.verdict;
    results.push({
      ...benchmarkCase,
      scoring: testRows === undefined ? 'cross-validated' : 'train-test',
      trainRows: train.length,
      scoredRows: (recorded.test ?? train).length,
      verdict,
      figures: sources.map((priced) => pricedFigures({ ...settings, options, benchmarkCase, ...priced })),
    });
  }
  return results;
}

function settingsOf(options: BenchmarkOptions) {
  return {
    variable: 'signal' as const,
    method: options.method ?? 'exact',
    confidence: options.confidence ?? 0.95,
    resamples: options.resamples ?? 1000,
    seed: options.seed ?? 20261122,
    folds: options.folds ?? 5,
    points: options.maxAccuracyLossPoints ?? 2,
  };
}

function pricedFigures(
  context: ReturnType<typeof settingsOf> & {
    options: BenchmarkOptions;
    benchmarkCase: BenchmarkCase;
    prices: RecordedPriceSource;
    train: EvaluationRecord[];
    test: EvaluationRecord[] | undefined;
  },
): PricedFigures {
  const { train, test, points } = context;
  const targets = [...new Set([points, ...defaultCurveTargets])].sort((left, right) => left - right);
  const objectives = targets.map((target) => ({ kind: 'max-accuracy-loss' as const, points: target }));
  let held: Array<{ figures: OutcomeFigures; verdicts: Partial<Record<CascadeVerdict, number>> }>;
  if (test === undefined) {
    held = crossValidate({ ...context, records: train, objectives }).map((validation) => ({
      figures: validation.pooled,
      verdicts: validation.verdicts,
    }));
  } else {
    held = objectives.map((objective) => {
      const { decision } = tuneOnce({ ...context, records: train, objective });
      return {
        figures: outcomeFigures(applyTunedRoute(test, decision.route, 'signal')),
        verdicts: { [decision.verdict]: 1 },
      };
    });
  }
  const scored = test ?? train;
  const curve = held.map((entry, index) => ({ targetLossPoints: targets[index]!, ...pick(entry.figures) }));
  const atTarget = held[targets.indexOf(points)]!;
  const cascade = atTarget.figures;
  const cheapOnly = { costPer1kUsd: cascade.cheapCostPer1kUsd, accuracy: cascade.cheapAccuracy };
  const flagshipOnly = pickFlagship(cascade);
  const bounds: [number, number] = [
    cheapOnly.costPer1kUsd,
    Math.max(cheapOnly.costPer1kUsd, flagshipOnly.costPer1kUsd),
  ];
  const tunedArea = areaUnderCostAccuracyCurve([cheapOnly, flagshipOnly, ...curve], { costBounds: bounds });
  const hindsightArea = areaUnderCostAccuracyCurve([cheapOnly, flagshipOnly, ...hindsightCurve(scored)], {
    costBounds: bounds,
  });
  const target =
    context.prices === 'recorded'
      ? context.options.paperTargets?.find(
          (candidate) =>
            candidate.benchmark === context.benchmarkCase.benchmark &&
            candidate.cheap === context.benchmarkCase.cheap &&
            candidate.flagship === context.benchmarkCase.flagship,
        )
      : undefined;
  return {
    prices: context.prices,
    cascade,
    verdicts: atTarget.verdicts,
    curve,
    tunedArea,
    hindsightArea,
    ...(target ? { paper: paperFigures(target, [cheapOnly, flagshipOnly, ...curve]) } : {}),
  };
}

function paperFigures(
  target: PaperTarget,
  points: Array<{ costPer1kUsd: number; accuracy: number }>,
): NonNullable<PricedFigures['paper']> {
  // The paper states bounds in micro-USD per query: 1 micro-USD per query is 0.001 USD per 1,000.
  const costBounds: [number, number] = [target.cost_bounds_microusd[0] / 1000, target.cost_bounds_microusd[1] / 1000];
  return {
    area: areaUnderCostAccuracyCurve(points, { costBounds }),
    paperArea: target.auc_err_norm,
    costBoundsPer1kUsd: costBounds,
  };
}

function sameCosts(left: readonly EvaluationRecord[], right: readonly EvaluationRecord[]): boolean {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b), 1e-12);
  return left.every(
    (record, index) =>
      close(record.cheapCostUsd, right[index]!.cheapCostUsd) &&
      close(record.flagshipCostUsd, right[index]!.flagshipCostUsd),
  );
}

/** Every threshold of the raw signal on the scored rows themselves: what hindsight could reach. */
function hindsightCurve(records: readonly EvaluationRecord[]): Array<{ costPer1kUsd: number; accuracy: number }> {
  const ladder = thresholdLadder(records, 'signal');
  return ladder.steps.slice(1).map((_, index) => pick(rungFigures(ladder, index + 1)));
}

function pick(figures: { costPer1kUsd: number; accuracy: number }): { costPer1kUsd: number; accuracy: number } {
  return { costPer1kUsd: figures.costPer1kUsd, accuracy: figures.accuracy };
}

/** The results as a Markdown table: one row per case and price source. */
export function renderBenchmarkTable(
  results: readonly BenchmarkResult[],
  options: { maxAccuracyLossPoints: number },
): string {
  const lines = [
    `| benchmark | cheap → flagship | rows | verdict (${options.maxAccuracyLossPoints} pt) | fold verdicts | prices | flagship-only | tuned cascade (held out) | gap | escalated | cost vs flagship | area, tuned (hindsight) | paper bounds: tuned (paper) |`,
    '|---|---|---:|---|---|---|---|---|---:|---:|---:|---|---|',
  ];
  for (const result of results) {
    for (const figures of result.figures) {
      const { cascade } = figures;
      lines.push(
        `| ${[
          result.benchmark,
          `${result.cheap} → ${result.flagship}`,
          String(result.trainRows),
          result.verdict,
          describeVerdictCounts(figures.verdicts),
          figures.prices,
          `${percent(cascade.flagshipAccuracy)} · $${cascade.flagshipCostPer1kUsd.toFixed(3)}`,
          `${percent(cascade.accuracy)} · $${cascade.costPer1kUsd.toFixed(3)}`,
          `${cascade.accuracyGapPoints >= 0 ? '+' : ''}${cascade.accuracyGapPoints.toFixed(1)} pt`,
          percent(cascade.escalationRate),
          `${(cascade.costShare * 100).toFixed(0)}%`,
          `${figures.tunedArea.toFixed(3)} (${figures.hindsightArea.toFixed(3)})`,
          figures.paper ? `${figures.paper.area.toFixed(3)} (${figures.paper.paperArea.toFixed(3)})` : '–',
        ].join(' | ')} |`,
      );
    }
  }
  return lines.join('\n');
}

/** One chart per benchmark: each pair's tuned curve (recorded prices), held out. */
export function benchmarkChartSpec(results: readonly BenchmarkResult[], benchmark: string): TopLevelSpec {
  const ofBenchmark = results.filter((result) => result.benchmark === benchmark);
  const pair = (result: BenchmarkResult) => `${shortModelName(result.cheap)} → ${shortModelName(result.flagship)}`;
  const recorded = (result: BenchmarkResult) => result.figures.find((figures) => figures.prices === 'recorded')!;
  return costAccuracyChartSpec({
    title: `${benchmark}: tuned cascades`,
    subtitle: 'held-out accuracy against cost per 1,000 requests (recorded prices)',
    series: ofBenchmark.map((result) => ({
      label: `tuned ${pair(result)}`,
      points: [...recorded(result).curve].sort((left, right) => left.costPer1kUsd - right.costPer1kUsd),
    })),
    markers: ofBenchmark
      .map((result) => ({
        label: `flagship ${shortModelName(result.flagship)}`,
        ...pickFlagship(recorded(result).cascade),
      }))
      .slice(0, 2),
  });
}

function pickFlagship(figures: OutcomeFigures): { costPer1kUsd: number; accuracy: number } {
  return { costPer1kUsd: figures.flagshipCostPer1kUsd, accuracy: figures.flagshipAccuracy };
}

function shortModelName(model: string): string {
  return model.replace(/^llama3\.1-/, 'llama-');
}

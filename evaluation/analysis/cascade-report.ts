import { areaUnderCostAccuracyCurve } from './area-under-cost-accuracy-curve';
import { blendedEffectiveRate, type BlendedEffectiveRate } from './blended-effective-rate';
import { breakEven, type BreakEven } from './break-even';
import { cascadeAtThreshold, strategyFigures, type ThresholdOutcome } from './cascade-at-threshold';
import { complexitySplit, type ComplexitySplit } from './complexity-split';
import type { EvaluationRecord } from './evaluation-record';
import { thresholdSweep } from './threshold-sweep';
import { wilsonInterval, type WilsonInterval } from '../../operations/reporting/wilson-interval';

/** Options of `buildCascadeReport`. */
export interface CascadeReportOptions {
  /** The labelled items; at least one. */
  records: readonly EvaluationRecord[];
  /** The gate threshold the cascade runs at (an item is accepted when its checks pass and `score >= threshold`). */
  threshold: number;
  /** Two-sided coverage of every interval, strictly between 0 and 1. @default 0.95 */
  confidence?: number;
  /** The most rows of each sweep (at least 2). @default 101 */
  sweepPoints?: number;
}

/** One strategy's accuracy and cost. Plain JSON. */
export interface StrategySummary {
  /** Items answered right. */
  correct: number;
  /** Accuracy with its Wilson interval at the report's confidence. */
  accuracy: WilsonInterval;
  /** Total cost in USD. */
  costUsd: number;
  /** Cost per 1,000 requests like these, in USD. */
  costPer1kUsd: number;
}

/** The normalised area under the error-against-cost curve, for the cascade and a baseline. Plain JSON. */
export interface AreaUnderCurveSummary {
  /** The cost interval averaged over: cheap-only to flagship-only cost (the lower of the two first). */
  costBoundsPer1kUsd: [number, number];
  /** The cascade's sweep (see `areaUnderCostAccuracyCurve`); lower is better. */
  cascade: number;
  /**
   * The same measure for routing a random share of requests to the flagship and the rest to the cheap model
   * alone: the straight line from cheap-only to flagship-only. A gate earns its keep when `cascade` is lower.
   */
  randomRouting: number;
}

/** Every figure of a report, for all items or one subset. Plain JSON. */
export interface CascadeReportFigures {
  counts: {
    items: number;
    /** Items the cascade accepts at the threshold. */
    accepted: number;
    /** Items the cascade escalates at the threshold. */
    escalated: number;
    /** Items that fail the deterministic checks, and so escalate at every threshold. */
    failedDeterministicChecks: number;
  };
  strategies: { cheapOnly: StrategySummary; flagshipOnly: StrategySummary; cascade: StrategySummary };
  /** The cascade's escalation rate at the threshold, with its Wilson interval. */
  escalationRate: WilsonInterval;
  blendedEffectiveRate: BlendedEffectiveRate;
  breakEven: BreakEven;
  /** Flagship-only cost minus cascade cost; negative when the cascade costs more. */
  savingVersusFlagshipOnly: {
    per1kUsd: number;
    /** The saving over flagship-only cost, in percent; `null` when flagship-only costs nothing. */
    percent: number | null;
  };
  complexitySplit: ComplexitySplit;
  /** The cost-against-accuracy curve (see `thresholdSweep`). */
  sweep: ThresholdOutcome[];
  areaUnderCurve: AreaUnderCurveSummary;
}

/** Whether a cascade pays on a labelled set, at one threshold and across all of them. Plain JSON. */
export interface CascadeReport extends CascadeReportFigures {
  threshold: number;
  confidence: number;
  /** The same figures for each subset, by subset name in sorted order. */
  subsets: Record<string, CascadeReportFigures>;
}

/**
 * The cascade's figures against cheap-only and flagship-only, over all items and per subset.
 *
 * @throws RangeError naming the bad option.
 */
export function buildCascadeReport(options: CascadeReportOptions): CascadeReport {
  validateCascadeReportOptions(options);
  const settings = {
    threshold: options.threshold,
    confidence: options.confidence ?? 0.95,
    sweepPoints: options.sweepPoints ?? 101,
  };
  const subsetNames = [...new Set(options.records.map((record) => record.subset))].sort();
  return {
    threshold: settings.threshold,
    confidence: settings.confidence,
    ...reportFigures(options.records, settings),
    subsets: Object.fromEntries(
      subsetNames.map((name) => [
        name,
        reportFigures(
          options.records.filter((record) => record.subset === name),
          settings,
        ),
      ]),
    ),
  };
}

/** Throws a RangeError naming the first bad option of `buildCascadeReport`. */
function validateCascadeReportOptions(options: CascadeReportOptions): void {
  if (options.records.length === 0) throw new RangeError('buildCascadeReport: records must not be empty');
  if (!Number.isFinite(options.threshold)) {
    throw new RangeError(`buildCascadeReport: threshold must be a finite number, got ${options.threshold}`);
  }
  if (options.confidence !== undefined && !(options.confidence > 0 && options.confidence < 1)) {
    throw new RangeError(`buildCascadeReport: confidence must be strictly between 0 and 1, got ${options.confidence}`);
  }
  if (options.sweepPoints !== undefined && !(Number.isInteger(options.sweepPoints) && options.sweepPoints >= 2)) {
    throw new RangeError(
      `buildCascadeReport: sweepPoints must be an integer of at least 2, got ${options.sweepPoints}`,
    );
  }
}

function reportFigures(
  records: readonly EvaluationRecord[],
  settings: { threshold: number; confidence: number; sweepPoints: number },
): CascadeReportFigures {
  const { threshold, confidence } = settings;
  const items = records.length;
  const { cheapOnly, flagshipOnly } = strategyFigures(records);
  const cascade = cascadeAtThreshold(records, threshold);
  const sweep = thresholdSweep(records, { points: settings.sweepPoints });
  const summary = (outcome: { correct: number; costUsd: number; costPer1kUsd: number }): StrategySummary => ({
    correct: outcome.correct,
    accuracy: wilsonInterval(outcome.correct, items, confidence),
    costUsd: outcome.costUsd,
    costPer1kUsd: outcome.costPer1kUsd,
  });
  const costBoundsPer1kUsd: [number, number] = [
    Math.min(cheapOnly.costPer1kUsd, flagshipOnly.costPer1kUsd),
    Math.max(cheapOnly.costPer1kUsd, flagshipOnly.costPer1kUsd),
  ];
  return {
    counts: {
      items,
      accepted: cascade.accepted,
      escalated: cascade.escalated,
      failedDeterministicChecks: records.filter((record) => !record.deterministicPass).length,
    },
    strategies: { cheapOnly: summary(cheapOnly), flagshipOnly: summary(flagshipOnly), cascade: summary(cascade) },
    escalationRate: wilsonInterval(cascade.escalated, items, confidence),
    blendedEffectiveRate: blendedEffectiveRate(records, threshold),
    breakEven: breakEven(records),
    savingVersusFlagshipOnly: {
      per1kUsd: flagshipOnly.costPer1kUsd - cascade.costPer1kUsd,
      percent:
        flagshipOnly.costUsd > 0 ? ((flagshipOnly.costUsd - cascade.costUsd) / flagshipOnly.costUsd) * 100 : null,
    },
    complexitySplit: complexitySplit(records),
    sweep,
    areaUnderCurve: {
      costBoundsPer1kUsd,
      cascade: areaUnderCostAccuracyCurve(sweep, { costBounds: costBoundsPer1kUsd }),
      randomRouting: areaUnderCostAccuracyCurve([cheapOnly, flagshipOnly], { costBounds: costBoundsPer1kUsd }),
    },
  };
}

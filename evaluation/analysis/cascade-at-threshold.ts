import type { EvaluationRecord } from './evaluation-record';

/** What the cascade does with a set of items at one threshold. Plain JSON. */
export interface ThresholdOutcome {
  /** The gate threshold: an item is accepted when its deterministic checks pass and `score >= threshold`. */
  threshold: number;
  /** Items whose cheap answer is kept. */
  accepted: number;
  /** Items sent to the flagship (every other item). */
  escalated: number;
  /** `escalated` over all items; 0 when there are none. */
  escalationRate: number;
  /** Items answered right: the cheap answer when accepted, the flagship's when escalated. */
  correct: number;
  /** `correct` over all items; 0 when there are none. */
  accuracy: number;
  /** Total cost: every item's cheap and gate cost, plus the flagship's cost of the escalated ones. */
  costUsd: number;
  /** Mean cost per item times 1,000: the cost of 1,000 requests like these; 0 when there are none. */
  costPer1kUsd: number;
}

/** What a single model does alone with a set of items. Plain JSON. */
export interface StrategyOutcome {
  /** Items answered. */
  items: number;
  /** Items answered right. */
  correct: number;
  /** `correct` over `items`; 0 when there are none. */
  accuracy: number;
  /** Total cost. */
  costUsd: number;
  /** Mean cost per item times 1,000; 0 when there are none. */
  costPer1kUsd: number;
}

/** Whether the cascade keeps the cheap answer to `record` at `threshold`. */
export function acceptsAtThreshold(record: EvaluationRecord, threshold: number): boolean {
  return record.deterministicPass && record.score >= threshold;
}

/**
 * The cascade's counts, accuracy and cost at one threshold. An escalated item is charged the cheap tier and
 * the gate as well as the flagship: the cascade paid for them before deciding.
 *
 * @throws RangeError when `threshold` is not a finite number.
 */
export function cascadeAtThreshold(records: readonly EvaluationRecord[], threshold: number): ThresholdOutcome {
  if (!Number.isFinite(threshold))
    throw new RangeError(`cascadeAtThreshold: threshold must be a finite number, got ${threshold}`);
  let accepted = 0;
  let correct = 0;
  let costUsd = 0;
  for (const record of records) {
    costUsd += record.cheapCostUsd + record.gateCostUsd;
    if (acceptsAtThreshold(record, threshold)) {
      accepted += 1;
      if (record.cheapCorrect) correct += 1;
    } else {
      costUsd += record.flagshipCostUsd;
      if (record.flagshipCorrect) correct += 1;
    }
  }
  const items = records.length;
  return {
    threshold,
    accepted,
    escalated: items - accepted,
    escalationRate: ratio(items - accepted, items),
    correct,
    accuracy: ratio(correct, items),
    costUsd,
    costPer1kUsd: ratio(costUsd, items) * 1000,
  };
}

/** The two baselines: every item to the cheap model alone (no gate), and every item to the flagship alone. */
export function strategyFigures(records: readonly EvaluationRecord[]): {
  cheapOnly: StrategyOutcome;
  flagshipOnly: StrategyOutcome;
} {
  return {
    cheapOnly: strategyOutcome(
      records,
      (record) => record.cheapCorrect,
      (record) => record.cheapCostUsd,
    ),
    flagshipOnly: strategyOutcome(
      records,
      (record) => record.flagshipCorrect,
      (record) => record.flagshipCostUsd,
    ),
  };
}

function strategyOutcome(
  records: readonly EvaluationRecord[],
  isCorrect: (record: EvaluationRecord) => boolean,
  costOf: (record: EvaluationRecord) => number,
): StrategyOutcome {
  const correct = records.filter(isCorrect).length;
  const costUsd = records.reduce((total, record) => total + costOf(record), 0);
  return {
    items: records.length,
    correct,
    accuracy: ratio(correct, records.length),
    costUsd,
    costPer1kUsd: ratio(costUsd, records.length) * 1000,
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

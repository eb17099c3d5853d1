import type { EvaluationRecord } from '../analysis/evaluation-record';

/**
 * What the threshold is compared with: the gate's raw `signal` (the confidence gate: a log-probability or
 * a margin, so a calibration cannot coarsen the decision) or its `score` (self-consistency agreement, a
 * judge's score, a weighted mean).
 */
export type DecisionVariable = 'signal' | 'score';

/** The value a record's decision is taken on, or `undefined` when it always escalates. */
function decisionValue(record: EvaluationRecord, variable: DecisionVariable): number | undefined {
  if (!record.deterministicPass) return undefined;
  const value = variable === 'signal' ? record.signal : record.score;
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** Whether the cascade keeps the cheap answer of `record` at `threshold`. */
export function acceptsRecord(record: EvaluationRecord, variable: DecisionVariable, threshold: number): boolean {
  const value = decisionValue(record, variable);
  return value !== undefined && value >= threshold;
}

/** The cascade at one rung: every row whose decision value is at least `threshold` is accepted. Plain JSON. */
export interface LadderStep {
  /** Rows with a decision value at or above it are accepted; `Infinity` on the first rung (every row escalates). */
  threshold: number;
  accepted: number;
  /** Accepted rows the cheap model got wrong and the flagship right: the accuracy the cascade gives up. */
  harmed: number;
  /** Accepted rows the cheap model got right and the flagship wrong: accuracy the cascade gains. */
  gained: number;
  /** Rows the cascade answers wrong at this rung. */
  errors: number;
  /** What the rows cost through the cascade at this rung, in US dollars. */
  costUsd: number;
}

/**
 * Every decision a threshold can make on a set of rows, from the safest to the cheapest: rung 0 escalates
 * every row; each next rung lowers the threshold to the next distinct decision value, accepting the rows
 * that hold it. Between two observed values every threshold decides the same, so the rungs are all the
 * candidates there are, and each rung's threshold is the most cautious of its interval.
 */
export interface ThresholdLadder {
  variable: DecisionVariable;
  rows: number;
  flagshipCorrect: number;
  cheapCorrect: number;
  flagshipCostUsd: number;
  cheapCostUsd: number;
  steps: LadderStep[];
  /** Each record's rung: the first rung at which it is accepted, or `undefined` when it never is. */
  rungOf: Array<number | undefined>;
}

export function thresholdLadder(records: readonly EvaluationRecord[], variable: DecisionVariable): ThresholdLadder {
  let flagshipCorrect = 0;
  let cheapCorrect = 0;
  let flagshipCostUsd = 0;
  let cheapCostUsd = 0;
  let escalateAllCost = 0;
  for (const record of records) {
    if (record.flagshipCorrect) flagshipCorrect += 1;
    if (record.cheapCorrect) cheapCorrect += 1;
    flagshipCostUsd += record.flagshipCostUsd;
    cheapCostUsd += record.cheapCostUsd;
    escalateAllCost += record.cheapCostUsd + record.gateCostUsd + record.flagshipCostUsd;
  }
  const eligible = records.flatMap((record, position) => {
    const value = decisionValue(record, variable);
    return value === undefined ? [] : [{ record, position, value }];
  });
  eligible.sort((left, right) => right.value - left.value);

  const steps: LadderStep[] = [
    {
      threshold: Infinity,
      accepted: 0,
      harmed: 0,
      gained: 0,
      errors: records.length - flagshipCorrect,
      costUsd: escalateAllCost,
    },
  ];
  const rungOf = new Array<number | undefined>(records.length).fill(undefined);
  let index = 0;
  while (index < eligible.length) {
    const previous = steps[steps.length - 1]!;
    const step = { ...previous, threshold: eligible[index]!.value };
    while (index < eligible.length && eligible[index]!.value === step.threshold) {
      const { record, position } = eligible[index]!;
      step.accepted += 1;
      if (!record.cheapCorrect && record.flagshipCorrect) step.harmed += 1;
      if (record.cheapCorrect && !record.flagshipCorrect) step.gained += 1;
      step.errors += Number(!record.cheapCorrect) - Number(!record.flagshipCorrect);
      step.costUsd -= record.flagshipCostUsd;
      rungOf[position] = steps.length;
      index += 1;
    }
    steps.push(step);
  }
  return {
    variable,
    rows: records.length,
    flagshipCorrect,
    cheapCorrect,
    flagshipCostUsd,
    cheapCostUsd,
    steps,
    rungOf,
  };
}

/** Figures of a rung, per request. Plain JSON. */
export interface RungFigures {
  accuracy: number;
  escalationRate: number;
  costPer1kUsd: number;
  /** Flagship-only accuracy minus the cascade's, in accuracy (0.01 is one point). */
  accuracyLoss: number;
}

export function rungFigures(ladder: ThresholdLadder, rung: number): RungFigures {
  const step = ladder.steps[rung]!;
  const rows = Math.max(1, ladder.rows);
  return {
    accuracy: (ladder.rows - step.errors) / rows,
    escalationRate: (ladder.rows - step.accepted) / rows,
    costPer1kUsd: (step.costUsd / rows) * 1000,
    accuracyLoss: (ladder.flagshipCorrect - (ladder.rows - step.errors)) / rows,
  };
}

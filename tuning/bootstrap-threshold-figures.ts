import type { EvaluationRecord } from '../analysis/evaluation-record';
import { randomIndex } from './seeded-random';

/** The cascade's figures at every candidate threshold in one bootstrap resample of the rows. */
export interface ResampleFigures {
  /** Cascade accuracy at `thresholds[j]`. */
  accuracy: Float64Array;
  /** Cost per 1,000 requests at `thresholds[j]`, in US dollars. */
  costPer1kUsd: Float64Array;
  /** Flagship-only accuracy on the resample. */
  flagshipAccuracy: number;
}

/**
 * Resamples the rows with replacement `samples` times and gives the cascade's figures at each of the
 * ascending `thresholds` in each resample. Each resample costs O(rows + thresholds): a row is accepted at
 * every threshold up to its score, so its effect is added once and spread by a running sum.
 */
export function bootstrapThresholdFigures(options: {
  records: readonly EvaluationRecord[];
  /** Candidate thresholds, ascending. */
  thresholds: readonly number[];
  samples: number;
  random: () => number;
}): ResampleFigures[] {
  const { records, thresholds, samples, random } = options;
  const rows = records.length;
  const highestAcceptingThreshold = records.map((record) => highestThresholdAccepting(record, thresholds));
  const resamples: ResampleFigures[] = [];
  for (let sample = 0; sample < samples; sample += 1) {
    const weights = new Int32Array(rows);
    for (let draw = 0; draw < rows; draw += 1) weights[randomIndex(random, rows)]! += 1;
    let flagshipCorrect = 0;
    let escalateEverythingCost = 0;
    const correctGained = new Float64Array(thresholds.length);
    const costSaved = new Float64Array(thresholds.length);
    records.forEach((record, row) => {
      const weight = weights[row]!;
      if (weight === 0) return;
      if (record.flagshipCorrect) flagshipCorrect += weight;
      escalateEverythingCost += weight * (record.cheapCostUsd + record.gateCostUsd + record.flagshipCostUsd);
      const highest = highestAcceptingThreshold[row]!;
      if (highest < 0) return;
      correctGained[highest]! += weight * (Number(record.cheapCorrect) - Number(record.flagshipCorrect));
      costSaved[highest]! += weight * record.flagshipCostUsd;
    });
    const accuracy = new Float64Array(thresholds.length);
    const costPer1kUsd = new Float64Array(thresholds.length);
    let runningGain = 0;
    let runningSaving = 0;
    for (let index = thresholds.length - 1; index >= 0; index -= 1) {
      runningGain += correctGained[index]!;
      runningSaving += costSaved[index]!;
      accuracy[index] = (flagshipCorrect + runningGain) / rows;
      costPer1kUsd[index] = ((escalateEverythingCost - runningSaving) / rows) * 1000;
    }
    resamples.push({ accuracy, costPer1kUsd, flagshipAccuracy: flagshipCorrect / rows });
  }
  return resamples;
}

/** The index of the highest threshold at which the record is accepted, or -1 when it never is. */
function highestThresholdAccepting(record: EvaluationRecord, thresholds: readonly number[]): number {
  if (!record.deterministicPass || !Number.isFinite(record.score)) return -1;
  let low = -1;
  let high = thresholds.length;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (thresholds[middle]! <= record.score) low = middle;
    else high = middle;
  }
  return low;
}

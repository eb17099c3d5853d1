import { cascadeAtThreshold, type ThresholdOutcome } from './cascade-at-threshold';
import type { EvaluationRecord } from './evaluation-record';
import { thinEvenly } from './thin-evenly';

/** Options of `thresholdSweep`. */
export interface ThresholdSweepOptions {
  /**
   * The most rows to return (at least 2). When there are more candidate thresholds, they are thinned evenly
   * by position in the sorted list (its quantiles), keeping the lowest and the highest.
   * @default 101
   */
  points?: number;
}

/**
 * The cascade's cost-against-accuracy curve: one row per candidate threshold, by ascending threshold, so
 * escalation rate and cost never fall from one row to the next.
 *
 * The candidates are every distinct score of an item that passes the deterministic checks (the only scores
 * at which a decision changes; failing items escalate at every threshold; a score that is not a finite
 * number is skipped), plus 0, plus the next number above
 * the highest of those, at which every item escalates. The first row is the lowest candidate (0 unless some
 * score is negative) and the last is the escalate-everything one; both survive thinning.
 *
 * @throws RangeError when `points` is not an integer of at least 2.
 */
export function thresholdSweep(
  records: readonly EvaluationRecord[],
  options: ThresholdSweepOptions = {},
): ThresholdOutcome[] {
  const points = options.points ?? 101;
  if (!Number.isInteger(points) || points < 2) {
    throw new RangeError(`thresholdSweep: options.points must be an integer of at least 2, got ${points}`);
  }
  const scores = new Set([
    0,
    ...records
      .filter((record) => record.deterministicPass && Number.isFinite(record.score))
      .map((record) => record.score),
  ]);
  const ascending = [...scores].sort((left, right) => left - right);
  const candidates = [...ascending, nextNumberAbove(ascending[ascending.length - 1]!)];
  return thinEvenly(candidates, points).map((threshold) => cascadeAtThreshold(records, threshold));
}

/** The smallest double greater than `value`: a threshold just above a score, which that score fails. */
export function nextNumberAbove(value: number): number {
  if (value === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  // A double's bit pattern orders like its magnitude, so one step of the pattern is one step of the value.
  view.setBigUint64(0, value > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

import type { EvaluationRecord } from './evaluation-record';

/** The four kinds of item by which model answers them right. */
export type ComplexityClass = 'bothCorrect' | 'onlyCheapCorrect' | 'onlyFlagshipCorrect' | 'neitherCorrect';

/**
 * The complexity split: how the items divide by which model gets them right. It bounds what any gate can do:
 * `onlyFlagshipCorrect` is the most a cascade can gain over cheap-only (escalating exactly those items), and
 * `onlyCheapCorrect` is what escalating costs in accuracy when the flagship gets those items wrong. Plain JSON.
 */
export interface ComplexitySplit {
  /** All items. */
  items: number;
  /** Items of each kind. */
  counts: Record<ComplexityClass, number>;
  /** Items of each kind over all items; each 0 when there are none. */
  shares: Record<ComplexityClass, number>;
  /**
   * The accuracy of a cascade with a perfect gate (it escalates exactly the items the cheap model gets
   * wrong): the share of items either model gets right.
   */
  perfectGateAccuracy: number;
}

/** How the items divide by which model answers them right. */
export function complexitySplit(records: readonly EvaluationRecord[]): ComplexitySplit {
  const counts: Record<ComplexityClass, number> = {
    bothCorrect: 0,
    onlyCheapCorrect: 0,
    onlyFlagshipCorrect: 0,
    neitherCorrect: 0,
  };
  for (const record of records) counts[complexityClassOf(record)] += 1;
  const share = (count: number) => (records.length === 0 ? 0 : count / records.length);
  return {
    items: records.length,
    counts,
    shares: {
      bothCorrect: share(counts.bothCorrect),
      onlyCheapCorrect: share(counts.onlyCheapCorrect),
      onlyFlagshipCorrect: share(counts.onlyFlagshipCorrect),
      neitherCorrect: share(counts.neitherCorrect),
    },
    perfectGateAccuracy: share(records.length - counts.neitherCorrect),
  };
}

function complexityClassOf(record: EvaluationRecord): ComplexityClass {
  if (record.cheapCorrect) return record.flagshipCorrect ? 'bothCorrect' : 'onlyCheapCorrect';
  return record.flagshipCorrect ? 'onlyFlagshipCorrect' : 'neitherCorrect';
}

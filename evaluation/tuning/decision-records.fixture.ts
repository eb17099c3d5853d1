import type { EvaluationRecord } from '../analysis/evaluation-record';

/** A group of identical rows: how many, their signal, and who got them right. */
export interface RowGroup {
  count: number;
  /** The decision value; `undefined` for rows without a signal (they always escalate). */
  signal: number | undefined;
  cheapCorrect: boolean;
  flagshipCorrect: boolean;
}

/** Rows built from groups, with the fixture's costs: cheap $0.001, flagship $0.01 (so the break-even escalation rate is 90%). */
export function recordsFromGroups(groups: readonly RowGroup[]): EvaluationRecord[] {
  let index = 0;
  return groups.flatMap((group) =>
    Array.from({ length: group.count }, () => ({
      id: `row-${(index += 1)}`,
      subset: 'fixture',
      cheapCorrect: group.cheapCorrect,
      flagshipCorrect: group.flagshipCorrect,
      signal: group.signal,
      score: group.signal === undefined ? 0 : Math.exp(group.signal),
      deterministicPass: true,
      cheapCostUsd: 0.001,
      gateCostUsd: 0,
      flagshipCostUsd: 0.01,
    })),
  );
}

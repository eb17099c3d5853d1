import type { EvaluationRecord } from './evaluation-record';

/** One labelled item with the fixture's costs: cheap $0.001, gate $0.0002, flagship $0.01. */
export function evaluationRecord(
  overrides: Partial<EvaluationRecord> & Pick<EvaluationRecord, 'id'>,
): EvaluationRecord {
  return {
    subset: 'math',
    cheapCorrect: true,
    flagshipCorrect: true,
    signal: undefined,
    score: 0.5,
    deterministicPass: true,
    cheapCostUsd: 0.001,
    gateCostUsd: 0.0002,
    flagshipCostUsd: 0.01,
    ...overrides,
  };
}

/**
 * Ten items small enough to work out by hand. Cheap-only gets 5 right ($1 per 1k requests), flagship-only 8
 * ($10 per 1k). Item r9 fails the deterministic checks, so it escalates at every threshold despite its score.
 *
 * | id  | subset | score | checks | cheap | flagship |
 * | r1  | math   | 0.9   | pass   | right | right    |
 * | r2  | math   | 0.8   | pass   | right | right    |
 * | r3  | math   | 0.7   | pass   | right | wrong    |
 * | r4  | math   | 0.6   | pass   | wrong | right    |
 * | r5  | math   | 0.5   | pass   | right | right    |
 * | r6  | trivia | 0.4   | pass   | wrong | right    |
 * | r7  | trivia | 0.3   | pass   | wrong | wrong    |
 * | r8  | trivia | 0.2   | pass   | wrong | right    |
 * | r9  | trivia | 0.9   | fail   | wrong | right    |
 * | r10 | trivia | 0.1   | pass   | right | right    |
 *
 * By hand, threshold -> (escalated, accuracy, cost per 1k requests in USD): 0 and 0.1 -> (1, 0.6, 2.2);
 * 0.2 -> (2, 0.6, 3.2); 0.3 -> (3, 0.7, 4.2); 0.4 -> (4, 0.7, 5.2); 0.5 -> (5, 0.8, 6.2); 0.6 -> (6, 0.8, 7.2);
 * 0.7 -> (7, 0.9, 8.2); 0.8 -> (8, 0.8, 9.2); 0.9 -> (9, 0.8, 10.2); above 0.9 -> (10, 0.8, 11.2).
 */
export const tenRecords: readonly EvaluationRecord[] = [
  evaluationRecord({ id: 'r1', score: 0.9 }),
  evaluationRecord({ id: 'r2', score: 0.8 }),
  evaluationRecord({ id: 'r3', score: 0.7, flagshipCorrect: false }),
  evaluationRecord({ id: 'r4', score: 0.6, cheapCorrect: false }),
  evaluationRecord({ id: 'r5', score: 0.5 }),
  evaluationRecord({ id: 'r6', subset: 'trivia', score: 0.4, cheapCorrect: false }),
  evaluationRecord({ id: 'r7', subset: 'trivia', score: 0.3, cheapCorrect: false, flagshipCorrect: false }),
  evaluationRecord({ id: 'r8', subset: 'trivia', score: 0.2, cheapCorrect: false }),
  evaluationRecord({ id: 'r9', subset: 'trivia', score: 0.9, deterministicPass: false, cheapCorrect: false }),
  evaluationRecord({ id: 'r10', subset: 'trivia', score: 0.1 }),
];

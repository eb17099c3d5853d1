import { escalationReasons, type GateVerdict } from '../contracts/cascade/gate-verdict';
import type { GateEvaluation } from './gate-evaluation';
import { singleLine } from './leaf-verdict';
import { formatScore } from './verdict-format';

/** Rounding of the weighted sum never fails a gate whose mean is mathematically at its threshold. */
const roundingTolerance = 1e-9;

/**
 * The evaluation of a `weighted` gate from its children's evaluations, in spec order, each with its
 * (positive) weight. The score is the weighted mean of the children's scores, Σ weight·score / Σ weight;
 * the gate passes when it reaches `threshold`, whatever each child's own verdict. A failed verdict has
 * reason `weighted_score_low`, then those of the failing children, in order, each once. The verdict
 * keeps its threshold and its children's verdicts; `json` is the first child's that has one.
 */
export function combineWeighted(options: {
  children: Array<{ evaluation: GateEvaluation; weight: number }>;
  threshold: number;
}): GateEvaluation {
  const { children, threshold } = options;
  const totalWeight = children.reduce((sum, child) => sum + child.weight, 0);
  const score = children.reduce((sum, child) => sum + child.weight * child.evaluation.verdict.score, 0) / totalWeight;
  const passed = score >= threshold - roundingTolerance;
  const verdicts = children.map((child) => child.evaluation.verdict);
  const failingReasons = verdicts.filter((verdict) => !verdict.passed).flatMap((verdict) => verdict.reasons);
  const terms = children.map(
    (child) =>
      `${child.evaluation.verdict.gate} ${formatScore(child.evaluation.verdict.score)}×${formatScore(child.weight)}`,
  );
  const verdict: GateVerdict = {
    gate: 'weighted',
    passed,
    score,
    reasons: passed ? [] : [...new Set([escalationReasons.weightedScoreLow, ...failingReasons])],
    threshold,
    detail: singleLine(
      `weighted score ${formatScore(score)}, threshold ${formatScore(threshold)}: ${terms.join(', ')}`,
    ),
    children: verdicts,
  };
  const json = children.find((child) => child.evaluation.json !== undefined)?.evaluation.json;
  return json === undefined ? { verdict } : { verdict, json };
}

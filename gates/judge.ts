import type { Judgement, JudgeGateSpec } from '../contracts/cascade/gate-signals';
import { escalationReasons, type GateVerdict } from '../contracts/cascade/gate-verdict';
import { GateConfigurationError } from './gate-configuration-error';
import { singleLine } from './leaf-verdict';
import { formatScore, quoteForDetail } from './verdict-format';

export type { JudgeGateSpec } from '../contracts/cascade/gate-signals';

/** How many characters of the judge's reason the detail quotes. */
const quotedReasonCharacters = 200;

/**
 * Accepts an answer when its judge scored it at least `threshold`. The judgement (a judge model's score
 * from 0 to 1 and one-line reason) was gathered by the workflow before the gate is evaluated; the score
 * is the verdict's. Reason `judge_rejected`; the detail quotes the judge's reason.
 *
 * Throws `GateConfigurationError` for a score that is not a number from 0 to 1 (judge answers are
 * normalised by `parseJudgement`, so such a score is a bug of whoever built the judgement).
 */
export function evaluateJudgeGate(spec: JudgeGateSpec, judgement: Judgement): GateVerdict {
  const { score } = judgement;
  if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
    throw new GateConfigurationError({
      message: `judge gate: the judgement's score ${String(score)} is not a number from 0 to 1`,
    });
  }
  const passed = score >= spec.threshold;
  const model = typeof spec.model === 'string' ? spec.model : spec.model.model;
  const reason =
    judgement.reason.trim() === ''
      ? 'no reason given'
      : quoteForDetail(singleLine(judgement.reason), quotedReasonCharacters);
  return {
    gate: spec.kind,
    passed,
    score,
    reasons: passed ? [] : [escalationReasons.judgeRejected],
    threshold: spec.threshold,
    detail: singleLine(
      `judge ${model} scored ${formatScore(score)}, threshold ${formatScore(spec.threshold)}: ${reason}`,
    ),
  };
}

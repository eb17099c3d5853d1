import type { CompositeGateSpec } from '../contracts/cascade/gate-spec';
import type { GateVerdict } from '../contracts/cascade/gate-verdict';
import type { GateEvaluation } from './gate-evaluation';
import { singleLine } from './leaf-verdict';

/**
 * The evaluation of an `all` or `any` gate from its children's evaluations, in spec order.
 * - `all` passes when every child passes; its score is the lowest child score, its reasons those of the
 *   failing children, in order, each once.
 * - `any` passes when one child passes; its score is the highest child score; when it fails, its reasons
 *   are every child's, in order, each once.
 * Both keep the children's verdicts; `json` is the first child's that has one.
 */
export function combineGateEvaluations(options: {
  kind: CompositeGateSpec['kind'];
  children: GateEvaluation[];
}): GateEvaluation {
  const verdicts = options.children.map((child) => child.verdict);
  const failing = verdicts.filter((verdict) => !verdict.passed);
  const scores = verdicts.map((verdict) => verdict.score);
  const passed = options.kind === 'all' ? failing.length === 0 : failing.length < verdicts.length;
  const verdict: GateVerdict = {
    gate: options.kind,
    passed,
    score: options.kind === 'all' ? Math.min(...scores) : Math.max(...scores),
    reasons: passed ? [] : uniqueReasons(failing),
    detail: singleLine(describe(options.kind, verdicts, failing)),
    children: verdicts,
  };
  const json = options.children.find((child) => child.json !== undefined)?.json;
  return json === undefined ? { verdict } : { verdict, json };
}

function uniqueReasons(verdicts: GateVerdict[]): string[] {
  return [...new Set(verdicts.flatMap((verdict) => verdict.reasons))];
}

function describe(kind: CompositeGateSpec['kind'], verdicts: GateVerdict[], failing: GateVerdict[]): string {
  const passedCount = verdicts.length - failing.length;
  const counted = `${passedCount} of ${verdicts.length} gates passed`;
  if (failing.length === 0) return counted;
  const failed = failing.map((verdict) => `${verdict.gate} (${verdict.detail})`).join('; ');
  if (kind === 'any' && passedCount > 0)
    return `${counted}; passed by ${verdicts
      .filter((verdict) => verdict.passed)
      .map((verdict) => verdict.gate)
      .join(', ')}`;
  return `${counted}; failed: ${failed}`;
}

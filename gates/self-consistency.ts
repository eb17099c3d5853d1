import type { GateSpec } from '../contracts/cascade/gate-spec';
import type { GateInput } from '../contracts/cascade/gate-signals';
import { escalationReasons, type GateVerdict } from '../contracts/cascade/gate-verdict';
import { describeExtractor, extractAnswer } from './answer-extractors';
import { GateConfigurationError } from './gate-configuration-error';
import { singleLine } from './leaf-verdict';
import { formatPercent, quoteForDetail } from './verdict-format';

export type SelfConsistencyGateSpec = Extract<GateSpec, { kind: 'self-consistency' }>;

/**
 * Accepts an answer when enough samples of the same prompt give the same answer. The answers compared
 * are the answer itself and the first `samples - 1` of `input.samples` (a tree whose self-consistency
 * gates ask for different counts shares the largest sampling). Each is read with `extractor` (see
 * `extractAnswer`); the agreement is the share of the answers whose reading equals the first answer's,
 * the first included, and it is the score. Passes when agreement ≥ `threshold`; reason `inconsistent`.
 * A first answer with nothing to read has agreement 0.
 *
 * Throws `GateConfigurationError` when fewer samples were gathered than the gate compares.
 */
export function evaluateSelfConsistencyGate(spec: SelfConsistencyGateSpec, input: GateInput): GateVerdict {
  const extraNeeded = spec.samples - 1;
  const gathered = input.samples ?? [];
  if (gathered.length < extraNeeded) {
    throw new GateConfigurationError({
      message: `self-consistency gate compares ${spec.samples} samples but ${gathered.length} extra ${gathered.length === 1 ? 'sample was' : 'samples were'} given, ${extraNeeded} needed: the workflow gathers samples before evaluating`,
    });
  }
  const readings = [input.text, ...gathered.slice(0, extraNeeded)].map((text) => extractAnswer(spec.extractor, text));
  const first = readings[0];
  const agreeing = first === undefined ? 0 : readings.filter((reading) => reading === first).length;
  const agreement = agreeing / readings.length;
  const passed = agreement >= spec.threshold;

  const what = describeExtractor(spec.extractor);
  const agreed =
    first === undefined
      ? `the answer has no ${what} to compare, so 0 of ${readings.length} samples agree (0%)`
      : `${agreeing} of ${readings.length} samples agree on ${quoteForDetail(first)} (${formatPercent(agreement)})`;
  const others = describeOthers(readings.slice(1).filter((reading) => first === undefined || reading !== first));
  const detail = singleLine(
    `${agreed}, threshold ${formatPercent(spec.threshold)}${others === '' ? '' : `; others: ${others}`}`,
  );
  return {
    gate: spec.kind,
    passed,
    score: agreement,
    reasons: passed ? [] : [escalationReasons.inconsistent],
    threshold: spec.threshold,
    detail,
  };
}

/** `"C" ×2, none ×1`: the other readings by count, most frequent first, then in order of appearance. */
function describeOthers(readings: Array<string | undefined>): string {
  const counts = new Map<string | undefined, number>();
  for (const reading of readings) counts.set(reading, (counts.get(reading) ?? 0) + 1);
  return [...counts]
    .sort((left, right) => right[1] - left[1])
    .map(([reading, count]) => `${reading === undefined ? 'none' : quoteForDetail(reading)} ×${count}`)
    .join(', ');
}

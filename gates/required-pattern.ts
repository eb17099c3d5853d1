import type { GateSpec } from '../contracts/cascade/gate-spec';
import { escalationReasons, type GateVerdict } from '../contracts/cascade/gate-verdict';
import { failedVerdict, passedVerdict } from './leaf-verdict';
import { compileLinearRegularExpression } from './linear-regular-expression';

export type RequiredPatternGateSpec = Extract<GateSpec, { kind: 'required-pattern' }>;

/**
 * Rejects an answer the regular expression `pattern` (with `flags`, @default '') does not match anywhere.
 * Reason `pattern_missing`. The pattern runs on a linear-time engine (`compileLinearRegularExpression`),
 * so no pattern from config or input can hang the worker; one the engine refuses throws
 * `GateConfigurationError`.
 */
export function evaluateRequiredPatternGate(spec: RequiredPatternGateSpec, answer: { text: string }): GateVerdict {
  const flags = spec.flags ?? '';
  const expression = compileLinearRegularExpression({ pattern: spec.pattern, flags, owner: 'required-pattern gate' });
  const shown = expression.toString();
  if (expression.test(answer.text)) return passedVerdict(spec.kind, `answer matches ${shown}`);
  return failedVerdict({
    gate: spec.kind,
    reason: escalationReasons.patternMissing,
    detail: `answer does not match ${shown}`,
  });
}

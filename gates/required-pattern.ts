import type { GateSpec } from '../contracts/cascade/gate-spec';
import { escalationReasons, type GateVerdict } from '../contracts/cascade/gate-verdict';
import { GateConfigurationError } from './gate-configuration-error';
import { failedVerdict, passedVerdict } from './leaf-verdict';

export type RequiredPatternGateSpec = Extract<GateSpec, { kind: 'required-pattern' }>;

/**
 * Rejects an answer the regular expression `pattern` (with `flags`, @default '') does not match anywhere.
 * Reason `pattern_missing`. A pattern or flags that do not compile throw `GateConfigurationError`.
 */
export function evaluateRequiredPatternGate(spec: RequiredPatternGateSpec, answer: { text: string }): GateVerdict {
  const flags = spec.flags ?? '';
  // A fresh expression per call: with the `g` or `y` flag, `test` would otherwise carry `lastIndex` over.
  const expression = compilePattern(spec.pattern, flags);
  const shown = `/${spec.pattern}/${flags}`;
  if (expression.test(answer.text)) return passedVerdict(spec.kind, `answer matches ${shown}`);
  return failedVerdict({
    gate: spec.kind,
    reason: escalationReasons.patternMissing,
    detail: `answer does not match ${shown}`,
  });
}

function compilePattern(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new GateConfigurationError({
      message: `required-pattern gate: /${pattern}/${flags} is not a valid regular expression: ${message}`,
    });
  }
}

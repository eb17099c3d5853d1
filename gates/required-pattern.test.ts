import { evaluateGate } from './evaluate-gate';
import { GateConfigurationError } from './gate-configuration-error';

describe('required-pattern gate', () => {
  it('passes an answer the pattern matches', () => {
    expect(
      evaluateGate({ kind: 'required-pattern', pattern: '\\bOslo\\b' }, { text: 'The capital is Oslo.' }).verdict,
    ).toEqual({
      gate: 'required-pattern',
      passed: true,
      score: 1,
      reasons: [],
      detail: 'answer matches /\\bOslo\\b/',
    });
  });

  it('fails an answer the pattern does not match', () => {
    expect(
      evaluateGate({ kind: 'required-pattern', pattern: '^ANSWER: ', flags: 'm' }, { text: 'The answer is 4.' })
        .verdict,
    ).toEqual({
      gate: 'required-pattern',
      passed: false,
      score: 0,
      reasons: ['pattern_missing'],
      detail: 'answer does not match /^ANSWER: /m',
    });
  });

  it('applies the flags', () => {
    const gate = { kind: 'required-pattern' as const, pattern: '^answer: \\d+$', flags: 'im' };
    expect(evaluateGate(gate, { text: 'Working...\nANSWER: 4' }).verdict.passed).toBe(true);
  });

  it('gives the same verdict on every call, even with the g and y flags', () => {
    for (const flags of ['g', 'y']) {
      const gate = { kind: 'required-pattern' as const, pattern: 'ok', flags };
      const verdicts = [1, 2, 3].map(() => evaluateGate(gate, { text: 'ok' }).verdict.passed);
      expect(verdicts).toEqual([true, true, true]);
    }
  });

  it('throws a GateConfigurationError for a pattern that does not compile', () => {
    const evaluate = () => evaluateGate({ kind: 'required-pattern', pattern: '(unclosed' }, { text: 'x' });
    expect(evaluate).toThrow(GateConfigurationError);
    expect(evaluate).toThrow(/^required-pattern gate: \/\(unclosed\/ is not a valid regular expression: /);
  });
});

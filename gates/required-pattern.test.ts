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
    expect(evaluate).toThrow(
      /^required-pattern gate: \/\(unclosed\/ cannot run on the linear-time engine \(RE2 syntax, no backreferences or lookaround\): .*missing closing \)/,
    );
  });

  it('answers at once on a pattern that backtracks for ever on a backtracking engine', () => {
    // On JavaScript's own engine this test would not finish: the nested quantifier tries every split.
    const gate = { kind: 'required-pattern' as const, pattern: '^(.+)+Z$' };
    expect(evaluateGate(gate, { text: 'a'.repeat(100_000) }).verdict.passed).toBe(false);
    expect(
      evaluateGate({ kind: 'required-pattern', pattern: '^(a|aa)+$' }, { text: `${'a'.repeat(50_000)}b` }).verdict
        .passed,
    ).toBe(false);
  });

  it('refuses backreferences and lookaround, which need backtracking', () => {
    for (const pattern of ['(a)\\1', 'foo(?=bar)', '(?<!x)y']) {
      const evaluate = () => evaluateGate({ kind: 'required-pattern', pattern }, { text: 'aa foobar y' });
      expect(evaluate).toThrow(GateConfigurationError);
      expect(evaluate).toThrow(/cannot run on the linear-time engine/);
    }
  });

  it('refuses a pattern over the length limit, naming the limit', () => {
    const evaluate = () => evaluateGate({ kind: 'required-pattern', pattern: 'a'.repeat(1001) }, { text: 'a' });
    expect(evaluate).toThrow(GateConfigurationError);
    expect(evaluate).toThrow(/is 1001 characters long; patterns are limited to 1000$/);
  });

  it('matches at the start only with the y flag, anywhere with g', () => {
    expect(
      evaluateGate({ kind: 'required-pattern', pattern: 'ok', flags: 'y' }, { text: 'not ok' }).verdict.passed,
    ).toBe(false);
    expect(
      evaluateGate({ kind: 'required-pattern', pattern: 'ok', flags: 'g' }, { text: 'not ok' }).verdict.passed,
    ).toBe(true);
  });
});

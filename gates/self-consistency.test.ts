import { GateConfigurationError } from './gate-configuration-error';
import { evaluateSelfConsistencyGate, type SelfConsistencyGateSpec } from './self-consistency';

const fiveLetters: SelfConsistencyGateSpec = {
  kind: 'self-consistency',
  samples: 5,
  extractor: { kind: 'choice-letter' },
  threshold: 0.8,
};

describe('self-consistency gate', () => {
  it('scores the share of samples whose answer agrees with the first, the first included', () => {
    const verdict = evaluateSelfConsistencyGate(fiveLetters, {
      text: 'The answer is B',
      samples: ['(B)', 'C', 'B.', 'I am not sure'],
    });
    expect(verdict).toEqual({
      gate: 'self-consistency',
      passed: false,
      score: 0.6,
      reasons: ['inconsistent'],
      threshold: 0.8,
      detail: '3 of 5 samples agree on "B" (60%), threshold 80%; others: "C" ×1, none ×1',
    });
  });

  it('passes at exactly the threshold (agreement ≥ threshold)', () => {
    const verdict = evaluateSelfConsistencyGate(fiveLetters, { text: 'B', samples: ['B', 'B', 'B', 'A'] });
    expect(verdict).toMatchObject({ passed: true, score: 0.8, reasons: [], threshold: 0.8 });
    expect(verdict.detail).toBe('4 of 5 samples agree on "B" (80%), threshold 80%; others: "A" ×1');
  });

  it('fails just below the threshold', () => {
    const spec: SelfConsistencyGateSpec = { ...fiveLetters, samples: 3, threshold: 0.7 };
    const verdict = evaluateSelfConsistencyGate(spec, { text: 'B', samples: ['B', 'A'] });
    expect(verdict).toMatchObject({ passed: false, score: 2 / 3, reasons: ['inconsistent'] });
    expect(verdict.detail).toBe('2 of 3 samples agree on "B" (66.7%), threshold 70%; others: "A" ×1');
  });

  it('passes when every sample agrees, without an "others" part', () => {
    const verdict = evaluateSelfConsistencyGate(
      { ...fiveLetters, threshold: 1 },
      { text: 'B', samples: ['B', '**B**', 'Answer: B', 'B) yes'] },
    );
    expect(verdict).toMatchObject({
      passed: true,
      score: 1,
      detail: '5 of 5 samples agree on "B" (100%), threshold 100%',
    });
  });

  it('compares readings, not texts: equal numbers written differently agree', () => {
    const spec: SelfConsistencyGateSpec = {
      kind: 'self-consistency',
      samples: 3,
      extractor: { kind: 'final-number' },
      threshold: 1,
    };
    const verdict = evaluateSelfConsistencyGate(spec, {
      text: 'So she pays $1,200.',
      samples: ['#### 1200', 'Total: 1200.00'],
    });
    expect(verdict).toMatchObject({ passed: true, score: 1 });
  });

  it('uses only the first samples - 1 extra samples when more were gathered for another gate', () => {
    const spec: SelfConsistencyGateSpec = { ...fiveLetters, samples: 3, threshold: 1 };
    const verdict = evaluateSelfConsistencyGate(spec, { text: 'B', samples: ['B', 'B', 'A', 'A', 'A'] });
    expect(verdict).toMatchObject({
      passed: true,
      score: 1,
      detail: '3 of 3 samples agree on "B" (100%), threshold 100%',
    });
  });

  it('gives agreement 0 when the first answer has nothing to read, even if the samples agree among themselves', () => {
    const verdict = evaluateSelfConsistencyGate(fiveLetters, { text: 'It depends.', samples: ['B', 'B', 'B', 'B'] });
    expect(verdict).toMatchObject({ passed: false, score: 0, reasons: ['inconsistent'] });
    expect(verdict.detail).toBe(
      'the answer has no choice letter to compare, so 0 of 5 samples agree (0%), threshold 80%; others: "B" ×4',
    );
  });

  it('names the JSON field it reads and quotes long readings cut short', () => {
    const spec: SelfConsistencyGateSpec = {
      kind: 'self-consistency',
      samples: 2,
      extractor: { kind: 'json-field', field: 'answer' },
      threshold: 1,
    };
    expect(evaluateSelfConsistencyGate(spec, { text: 'no JSON', samples: ['{"answer": 1}'] }).detail).toBe(
      'the answer has no JSON field "answer" to compare, so 0 of 2 samples agree (0%), threshold 100%; others: "1" ×1',
    );
    const long = 'x'.repeat(100);
    const detail = evaluateSelfConsistencyGate(spec, {
      text: JSON.stringify({ answer: long }),
      samples: ['{"answer": 2}'],
    }).detail;
    expect(detail).toBe(`1 of 2 samples agree on "${'x'.repeat(60)}…" (50%), threshold 100%; others: "2" ×1`);
  });

  it('throws a GateConfigurationError when fewer samples were gathered than it compares', () => {
    expect(() => evaluateSelfConsistencyGate(fiveLetters, { text: 'B', samples: ['B', 'B'] })).toThrow(
      new GateConfigurationError({
        message:
          'self-consistency gate compares 5 samples but 2 extra samples were given, 4 needed: the workflow gathers samples before evaluating',
      }),
    );
    expect(() => evaluateSelfConsistencyGate({ ...fiveLetters, samples: 2 }, { text: 'B' })).toThrow(
      new GateConfigurationError({
        message:
          'self-consistency gate compares 2 samples but 0 extra samples were given, 1 needed: the workflow gathers samples before evaluating',
      }),
    );
  });

  it('returns a verdict that survives a JSON round trip', () => {
    const verdict = evaluateSelfConsistencyGate(fiveLetters, { text: 'B', samples: ['B', 'C', 'B', 'x'] });
    expect(JSON.parse(JSON.stringify(verdict))).toStrictEqual(verdict);
  });
});

import type { GateSpec } from '../contracts/cascade/gate-spec';
import type { GateVerdict } from '../contracts/cascade/gate-verdict';
import { evaluateGate } from './evaluate-gate';
import { GateConfigurationError } from './gate-configuration-error';
import { combineWeighted } from './weighted';

function child(verdict: Partial<GateVerdict> & Pick<GateVerdict, 'gate' | 'score' | 'passed'>, weight: number) {
  return { evaluation: { verdict: { reasons: [], detail: '', ...verdict } }, weight };
}

describe('combineWeighted', () => {
  it('scores the weighted mean of the children and passes at or above the threshold', () => {
    const evaluation = combineWeighted({
      children: [
        child({ gate: 'judge', score: 0.5, passed: false, reasons: ['judge_rejected'] }, 2),
        child({ gate: 'self-consistency', score: 1, passed: true }, 1),
      ],
      threshold: 2 / 3,
    });
    expect(evaluation.verdict).toMatchObject({ gate: 'weighted', passed: true, reasons: [], threshold: 2 / 3 });
    expect(evaluation.verdict.score).toBeCloseTo(2 / 3, 12);
    expect(evaluation.verdict.detail).toBe('weighted score 0.67, threshold 0.67: judge 0.5×2, self-consistency 1×1');
  });

  it("fails below the threshold with weighted_score_low, then the failing children's reasons, each once", () => {
    const evaluation = combineWeighted({
      children: [
        child({ gate: 'confidence', score: 0.2, passed: false, reasons: ['low_confidence'] }, 1),
        child({ gate: 'refusal', score: 1, passed: true }, 1),
        child({ gate: 'judge', score: 0.4, passed: false, reasons: ['judge_rejected'] }, 3),
        child({ gate: 'confidence', score: 0, passed: false, reasons: ['low_confidence'] }, 1),
      ],
      threshold: 0.5,
    });
    expect(evaluation.verdict.score).toBeCloseTo((0.2 + 1 + 1.2 + 0) / 6, 12);
    expect(evaluation.verdict).toMatchObject({
      passed: false,
      reasons: ['weighted_score_low', 'low_confidence', 'judge_rejected'],
      threshold: 0.5,
    });
    expect(evaluation.verdict.children?.map((verdict) => verdict.gate)).toEqual([
      'confidence',
      'refusal',
      'judge',
      'confidence',
    ]);
  });

  it('can pass although a child failed, and can fail although every child passed', () => {
    const passing = combineWeighted({
      children: [
        child({ gate: 'a', score: 0.6, passed: false, reasons: ['x'] }, 1),
        child({ gate: 'b', score: 1, passed: true }, 1),
      ],
      threshold: 0.8,
    });
    expect(passing.verdict).toMatchObject({ passed: true, reasons: [] });
    const failing = combineWeighted({ children: [child({ gate: 'a', score: 0.7, passed: true }, 1)], threshold: 0.9 });
    expect(failing.verdict).toMatchObject({ passed: false, reasons: ['weighted_score_low'] });
  });

  it('is not failed by rounding of a mean that is at the threshold', () => {
    // (0.1 + 0.7) / 2 computes to 0.39999999999999997.
    const evaluation = combineWeighted({
      children: [child({ gate: 'a', score: 0.1, passed: true }, 1), child({ gate: 'b', score: 0.7, passed: true }, 1)],
      threshold: 0.4,
    });
    expect(evaluation.verdict.score).toBeLessThan(0.4);
    expect(evaluation.verdict.passed).toBe(true);
  });

  it("keeps the first child's parsed JSON", () => {
    const evaluation = combineWeighted({
      children: [
        child({ gate: 'refusal', score: 1, passed: true }, 1),
        {
          evaluation: {
            verdict: { gate: 'json-schema', passed: true, score: 1, reasons: [], detail: '' },
            json: { a: 1 },
          },
          weight: 1,
        },
      ],
      threshold: 0.5,
    });
    expect(evaluation.json).toEqual({ a: 1 });
  });
});

describe('weighted gate', () => {
  const gate: GateSpec = {
    kind: 'weighted',
    gates: [
      { gate: { kind: 'minimum-content', minCharacters: 40 }, weight: 3 },
      { gate: { kind: 'refusal' }, weight: 1 },
    ],
    threshold: 0.6,
  };

  it('evaluates its children and combines them by weight', () => {
    const { verdict } = evaluateGate(gate, { text: 'Twenty characters ok' });
    expect(verdict.score).toBeCloseTo((3 * 0.5 + 1) / 4, 12);
    expect(verdict).toMatchObject({
      passed: true,
      threshold: 0.6,
      detail: 'weighted score 0.63, threshold 0.6: minimum-content 0.5×3, refusal 1×1',
    });
    expect(verdict.children).toHaveLength(2);
  });

  it('rejects an empty child list and a weight that is not positive, as configuration errors', () => {
    expect(() => evaluateGate({ kind: 'weighted', gates: [], threshold: 0.5 }, { text: 'x' })).toThrow(
      new GateConfigurationError({ message: 'weighted gate needs at least one child gate' }),
    );
    expect(() =>
      evaluateGate(
        {
          kind: 'weighted',
          gates: [
            { gate: { kind: 'refusal' }, weight: 1 },
            { gate: { kind: 'refusal' }, weight: 0 },
          ],
          threshold: 0.5,
        },
        { text: 'x' },
      ),
    ).toThrow(
      new GateConfigurationError({ message: 'weighted gate: the weight of child #2 must be a positive number, not 0' }),
    );
  });
});

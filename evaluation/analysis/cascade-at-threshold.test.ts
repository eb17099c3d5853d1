import { acceptsAtThreshold, cascadeAtThreshold, strategyFigures } from './cascade-at-threshold';
import { evaluationRecord, tenRecords } from './evaluation-records.fixture';

describe('cascadeAtThreshold', () => {
  it('accepts at the threshold itself and escalates below it', () => {
    const outcome = cascadeAtThreshold(tenRecords, 0.5);
    expect(outcome).toMatchObject({ threshold: 0.5, accepted: 5, escalated: 5, correct: 8 });
    expect(outcome.escalationRate).toBe(0.5);
    expect(outcome.accuracy).toBe(0.8);
    // 10 x (0.001 + 0.0002) + 5 x 0.01
    expect(outcome.costUsd).toBeCloseTo(0.062, 12);
    expect(outcome.costPer1kUsd).toBeCloseTo(6.2, 10);
  });

  it.each([
    [0, 1, 0.6, 2.2],
    [0.1, 1, 0.6, 2.2],
    [0.2, 2, 0.6, 3.2],
    [0.3, 3, 0.7, 4.2],
    [0.4, 4, 0.7, 5.2],
    [0.6, 6, 0.8, 7.2],
    [0.7, 7, 0.9, 8.2],
    [0.8, 8, 0.8, 9.2],
    [0.9, 9, 0.8, 10.2],
    [0.95, 10, 0.8, 11.2],
  ])(
    'at threshold %p escalates %p items, with accuracy %p and $%p per 1k',
    (threshold, escalated, accuracy, costPer1kUsd) => {
      const outcome = cascadeAtThreshold(tenRecords, threshold);
      expect(outcome.escalated).toBe(escalated);
      expect(outcome.accepted).toBe(10 - escalated);
      expect(outcome.accuracy).toBeCloseTo(accuracy, 12);
      expect(outcome.costPer1kUsd).toBeCloseTo(costPer1kUsd, 10);
    },
  );

  it('escalates an item that fails the deterministic checks whatever its score', () => {
    const failing = evaluationRecord({
      id: 'x',
      score: 1,
      deterministicPass: false,
      cheapCorrect: true,
      flagshipCorrect: false,
    });
    expect(acceptsAtThreshold(failing, 0)).toBe(false);
    expect(cascadeAtThreshold([failing], 0)).toMatchObject({ accepted: 0, escalated: 1, correct: 0 });
  });

  it('gives zero rates for no records', () => {
    expect(cascadeAtThreshold([], 0.5)).toEqual({
      threshold: 0.5,
      accepted: 0,
      escalated: 0,
      escalationRate: 0,
      correct: 0,
      accuracy: 0,
      costUsd: 0,
      costPer1kUsd: 0,
    });
  });

  it('rejects a threshold that is not a finite number', () => {
    expect(() => cascadeAtThreshold(tenRecords, Number.NaN)).toThrow(
      'cascadeAtThreshold: threshold must be a finite number, got NaN',
    );
    expect(() => cascadeAtThreshold(tenRecords, Infinity)).toThrow(
      'cascadeAtThreshold: threshold must be a finite number, got Infinity',
    );
  });
});

describe('strategyFigures', () => {
  it('gives cheap-only and flagship-only accuracy and cost, without the gate', () => {
    const { cheapOnly, flagshipOnly } = strategyFigures(tenRecords);
    expect(cheapOnly).toMatchObject({ items: 10, correct: 5, accuracy: 0.5 });
    expect(cheapOnly.costUsd).toBeCloseTo(0.01, 12);
    expect(cheapOnly.costPer1kUsd).toBeCloseTo(1, 10);
    expect(flagshipOnly).toMatchObject({ items: 10, correct: 8, accuracy: 0.8 });
    expect(flagshipOnly.costUsd).toBeCloseTo(0.1, 12);
    expect(flagshipOnly.costPer1kUsd).toBeCloseTo(10, 10);
  });

  it('gives zeros for no records', () => {
    expect(strategyFigures([]).flagshipOnly).toEqual({
      items: 0,
      correct: 0,
      accuracy: 0,
      costUsd: 0,
      costPer1kUsd: 0,
    });
  });
});

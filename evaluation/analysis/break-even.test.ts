import { breakEven } from './break-even';
import { cascadeAtThreshold, strategyFigures } from './cascade-at-threshold';
import { evaluationRecord, tenRecords } from './evaluation-records.fixture';

describe('breakEven', () => {
  it('is one minus the cheap-and-gate cost over the flagship cost', () => {
    const result = breakEven(tenRecords);
    expect(result.meanCheapAndGateCostUsd).toBeCloseTo(0.0012, 12);
    expect(result.meanFlagshipCostUsd).toBeCloseTo(0.01, 12);
    // 1 - 0.0012 / 0.01
    expect(result.escalationRate).toBeCloseTo(0.88, 12);
  });

  it('uses the means, so items of different prices weigh by their cost', () => {
    const records = [
      evaluationRecord({ id: 'a', cheapCostUsd: 0.001, gateCostUsd: 0, flagshipCostUsd: 0.004 }),
      evaluationRecord({ id: 'b', cheapCostUsd: 0.003, gateCostUsd: 0.002, flagshipCostUsd: 0.016 }),
    ];
    // mean(cheap + gate) = 0.003, mean(flagship) = 0.01, so r* = 0.7
    expect(breakEven(records).escalationRate).toBeCloseTo(0.7, 12);
  });

  it('balances the cascade against flagship-only when items cost the same', () => {
    // With uniform costs, escalating exactly r* of the items costs what flagship-only costs.
    const records = Array.from({ length: 25 }, (_unused, index) =>
      evaluationRecord({
        id: `i${index}`,
        score: index / 25,
        cheapCostUsd: 0.002,
        gateCostUsd: 0.001,
        flagshipCostUsd: 0.0125,
      }),
    );
    const rate = breakEven(records).escalationRate!;
    expect(rate).toBeCloseTo(0.76, 12);
    const atBreakEven = cascadeAtThreshold(records, 19 / 25);
    expect(atBreakEven.escalationRate).toBeCloseTo(rate, 12);
    expect(atBreakEven.costUsd).toBeCloseTo(strategyFigures(records).flagshipOnly.costUsd, 12);
  });

  it('is at or below zero when the cheap tier and gate cost as much as the flagship', () => {
    const records = [evaluationRecord({ id: 'a', cheapCostUsd: 0.008, gateCostUsd: 0.004, flagshipCostUsd: 0.01 })];
    expect(breakEven(records).escalationRate).toBeCloseTo(-0.2, 12);
  });

  it('is null when the flagship costs nothing or there are no records', () => {
    expect(breakEven([evaluationRecord({ id: 'a', flagshipCostUsd: 0 })]).escalationRate).toBeNull();
    expect(breakEven([])).toEqual({ escalationRate: null, meanCheapAndGateCostUsd: 0, meanFlagshipCostUsd: 0 });
  });
});

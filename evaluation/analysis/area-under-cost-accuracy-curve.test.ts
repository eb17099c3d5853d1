import { areaUnderCostAccuracyCurve } from './area-under-cost-accuracy-curve';

describe('areaUnderCostAccuracyCurve', () => {
  // Error against cost: 0.5 at $1, 0.1 at $3, and a dominated point (error 0.6 at $2) that must not count.
  const points = [
    { costPer1kUsd: 1, accuracy: 0.5 },
    { costPer1kUsd: 2, accuracy: 0.4 },
    { costPer1kUsd: 3, accuracy: 0.9 },
  ];

  it('is the mean error along the straight line between frontier points', () => {
    // (0.5 + 0.1) / 2
    expect(areaUnderCostAccuracyCurve(points, { costBounds: [1, 3] })).toBeCloseTo(0.3, 12);
  });

  it('defaults to the points own cost range', () => {
    expect(areaUnderCostAccuracyCurve(points)).toBeCloseTo(0.3, 12);
  });

  it('cuts the curve at bounds inside it', () => {
    // error 0.3 at $2 (on the line, not the dominated point) and 0.1 at $3
    expect(areaUnderCostAccuracyCurve(points, { costBounds: [2, 3] })).toBeCloseTo(0.2, 12);
    // error 0.5 at $1 and 0.3 at $2
    expect(areaUnderCostAccuracyCurve(points, { costBounds: [1, 2] })).toBeCloseTo(0.4, 12);
  });

  it('holds the curve flat beyond its ends', () => {
    // [0, 1]: 0.5 x 1; [1, 3]: 0.3 x 2; [3, 4]: 0.1 x 1; total 1.2 over 4
    expect(areaUnderCostAccuracyCurve(points, { costBounds: [0, 4] })).toBeCloseTo(0.3, 12);
    // [3, 5] lies wholly above the dearest point
    expect(areaUnderCostAccuracyCurve(points, { costBounds: [3, 5] })).toBeCloseTo(0.1, 12);
  });

  it('sums trapezoids over a curve of several pieces', () => {
    // The fixture's frontier: errors 0.4, 0.3, 0.2, 0.1 at $2.2, $4.2, $6.2, $8.2, over cheap-only ($1) to
    // flagship-only ($10): 0.4 x 1.2 + 0.35 x 2 + 0.25 x 2 + 0.15 x 2 + 0.1 x 1.8 = 2.16, over 9.
    const sweep = [
      { costPer1kUsd: 2.2, accuracy: 0.6 },
      { costPer1kUsd: 3.2, accuracy: 0.6 },
      { costPer1kUsd: 4.2, accuracy: 0.7 },
      { costPer1kUsd: 5.2, accuracy: 0.7 },
      { costPer1kUsd: 6.2, accuracy: 0.8 },
      { costPer1kUsd: 7.2, accuracy: 0.8 },
      { costPer1kUsd: 8.2, accuracy: 0.9 },
      { costPer1kUsd: 9.2, accuracy: 0.8 },
      { costPer1kUsd: 11.2, accuracy: 0.8 },
    ];
    expect(areaUnderCostAccuracyCurve(sweep, { costBounds: [1, 10] })).toBeCloseTo(0.24, 12);
  });

  it('gives the error at the cost when the interval is a single cost', () => {
    expect(areaUnderCostAccuracyCurve(points, { costBounds: [2, 2] })).toBeCloseTo(0.3, 12);
    expect(areaUnderCostAccuracyCurve([{ costPer1kUsd: 1, accuracy: 0.75 }])).toBeCloseTo(0.25, 12);
  });

  it('rejects no points and bad bounds', () => {
    expect(() => areaUnderCostAccuracyCurve([])).toThrow('areaUnderCostAccuracyCurve: needs at least one point');
    expect(() => areaUnderCostAccuracyCurve(points, { costBounds: [3, 1] })).toThrow(
      'areaUnderCostAccuracyCurve: costBounds must be finite with low <= high, got [3, 1]',
    );
    expect(() => areaUnderCostAccuracyCurve(points, { costBounds: [0, Infinity] })).toThrow(
      'areaUnderCostAccuracyCurve: costBounds must be finite with low <= high, got [0, Infinity]',
    );
  });
});

import { niceTicks } from './axis-ticks';

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks([0, 11.2])).toEqual({
      low: 0,
      high: 12.5,
      step: 2.5,
      values: [0, 2.5, 5, 7.5, 10, 12.5],
      decimals: 1,
    });
    expect(niceTicks([0, 10])).toMatchObject({ step: 2, values: [0, 2, 4, 6, 8, 10], decimals: 0 });
    expect(niceTicks([58, 92])).toMatchObject({ low: 50, high: 100, step: 10 });
  });

  it('writes small steps without floating-point noise', () => {
    const ticks = niceTicks([0, 0.0031]);
    expect(ticks.step).toBeCloseTo(0.001, 15);
    expect(ticks.values).toEqual([0, 0.001, 0.002, 0.003, 0.004]);
    expect(ticks.decimals).toBe(3);
  });

  it('widens an empty range to one unit', () => {
    expect(niceTicks([3, 3])).toMatchObject({ low: 3, high: 4 });
  });

  it('accepts the ends in either order', () => {
    expect(niceTicks([10, 0]).values).toEqual([0, 2, 4, 6, 8, 10]);
  });
});

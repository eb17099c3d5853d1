import { wilsonInterval } from './wilson-interval';

describe('wilsonInterval', () => {
  it.each([
    // successes, trials, lower, upper: Wilson score intervals at 95% as published (Newcombe 1998,
    // Statistics in Medicine 17:857, table I, method 3; and the textbook 8/10, 0/10, 10/10 cases).
    [8, 10, 0.4902, 0.9433],
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('gives %p of %p a 95%% interval of [%p, %p]', (successes, trials, lower, upper) => {
    const interval = wilsonInterval(successes, trials);
    expect(interval.estimate).toBeCloseTo(successes / trials, 12);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  it('keeps the bounds exactly inside [0, 1] at the extremes', () => {
    expect(wilsonInterval(0, 10).lower).toBe(0);
    expect(wilsonInterval(10, 10).upper).toBe(1);
  });

  it('takes z from the confidence, so the interval widens with it', () => {
    // The closed form by hand with z(0.95) = 1.644854 and z(0.995) = 2.575829.
    const ninety = wilsonInterval(8, 10, 0.9);
    const ninetyNine = wilsonInterval(8, 10, 0.99);
    expect(ninety.lower).toBeCloseTo(0.5408, 4);
    expect(ninety.upper).toBeCloseTo(0.9314, 4);
    expect(ninetyNine.lower).toBeCloseTo(0.4008, 4);
    expect(ninetyNine.upper).toBeCloseTo(0.9599, 4);
  });

  it.each([
    // Published two-sided critical values of the standard normal (Abramowitz & Stegun, table 26.5).
    [0.95, 1.959963984540054],
    [0.99, 2.5758293035489004],
    [0.9998, 3.719016485455709],
  ])('uses the exact normal quantile for %p confidence', (confidence, z) => {
    // With no successes the upper bound has the closed form z² / (n + z²), so it shows z to full precision.
    expect(wilsonInterval(0, 100, confidence).upper).toBeCloseTo((z * z) / (100 + z * z), 12);
  });

  it('gives the uninformative interval for no trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ estimate: 0, lower: 0, upper: 1 });
  });

  it('rejects bad arguments with messages that name them', () => {
    expect(() => wilsonInterval(1, -1)).toThrow('wilsonInterval: trials must be a non-negative integer, got -1');
    expect(() => wilsonInterval(1, 2.5)).toThrow('wilsonInterval: trials must be a non-negative integer, got 2.5');
    expect(() => wilsonInterval(11, 10)).toThrow(
      'wilsonInterval: successes must be an integer from 0 to trials (10), got 11',
    );
    expect(() => wilsonInterval(0.5, 10)).toThrow(
      'wilsonInterval: successes must be an integer from 0 to trials (10), got 0.5',
    );
    expect(() => wilsonInterval(1, 10, 1)).toThrow(
      'wilsonInterval: confidence must be strictly between 0 and 1, got 1',
    );
    expect(() => wilsonInterval(1, 10, 95)).toThrow(
      'wilsonInterval: confidence must be strictly between 0 and 1, got 95',
    );
  });
});

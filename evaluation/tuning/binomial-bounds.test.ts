import { clopperPearsonLower, clopperPearsonUpper, rowsToCertify } from './binomial-bounds';
import { TuningError } from './tuning-error';

describe('Clopper–Pearson bounds', () => {
  it('gives 1 − alpha^(1/n) for zero events, about 3/n at 95%', () => {
    expect(clopperPearsonUpper({ events: 0, trials: 300, alpha: 0.05 })).toBeCloseTo(1 - 0.05 ** (1 / 300), 12);
    expect(clopperPearsonUpper({ events: 0, trials: 600, alpha: 0.05 })).toBeLessThan(0.005);
  });

  it('matches hand-computed values: one event in ten, nine in ten', () => {
    // Solve P(X <= 1 | n = 10, p) = 0.05 for p: (1-p)^10 + 10 p (1-p)^9 = 0.05 at p = 0.39416.
    const upper = clopperPearsonUpper({ events: 1, trials: 10, alpha: 0.05 });
    expect((1 - upper) ** 10 + 10 * upper * (1 - upper) ** 9).toBeCloseTo(0.05, 10);
    expect(upper).toBeCloseTo(0.39416, 4);
    expect(clopperPearsonLower({ events: 9, trials: 10, alpha: 0.05 })).toBeCloseTo(1 - upper, 10);
  });

  it('is 1 with every trial an event, 0 below with none, and 1 with no trials', () => {
    expect(clopperPearsonUpper({ events: 5, trials: 5, alpha: 0.05 })).toBe(1);
    expect(clopperPearsonLower({ events: 0, trials: 5, alpha: 0.05 })).toBe(0);
    expect(clopperPearsonUpper({ events: 0, trials: 0, alpha: 0.05 })).toBe(1);
  });

  it('names the bad argument', () => {
    expect(() => clopperPearsonUpper({ events: 3, trials: 2, alpha: 0.05 })).toThrow(
      new TuningError({ message: 'events must be a whole number from 0 to trials (2), got 3' }),
    );
    expect(() => clopperPearsonUpper({ events: 0, trials: 1.5, alpha: 0.05 })).toThrow('trials must be a whole number');
    expect(() => clopperPearsonLower({ events: 1, trials: 2, alpha: 1 })).toThrow(
      'alpha must be strictly between 0 and 1, got 1',
    );
  });
});

describe('rowsToCertify', () => {
  it('needs about 600 rows without a loss to certify half a point at 95%', () => {
    // 1 - 0.05^(1/n) <= 0.005  ⇔  n >= ln 0.05 / ln 0.995 = 597.6
    expect(rowsToCertify({ observedRate: 0, bound: 0.005, alpha: 0.05 })).toBe(598);
    expect(rowsToCertify({ observedRate: 0, bound: 0.01, alpha: 0.05 })).toBe(299);
  });

  it('needs more rows the closer the observed rate is to the bound', () => {
    const far = rowsToCertify({ observedRate: 0.002, bound: 0.01, alpha: 0.05 })!;
    const near = rowsToCertify({ observedRate: 0.008, bound: 0.01, alpha: 0.05 })!;
    expect(far).toBeGreaterThan(299);
    expect(near).toBeGreaterThan(far * 5);
    expect(clopperPearsonUpper({ events: Math.round(0.008 * near), trials: near, alpha: 0.05 })).toBeLessThanOrEqual(
      0.01,
    );
  });

  it('says no number of rows can certify a rate at or above the bound', () => {
    expect(rowsToCertify({ observedRate: 0.01, bound: 0.01, alpha: 0.05 })).toBeUndefined();
    expect(rowsToCertify({ observedRate: 0.2, bound: 0.01, alpha: 0.05 })).toBeUndefined();
  });
});

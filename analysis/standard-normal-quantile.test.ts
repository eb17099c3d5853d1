import { standardNormalQuantile } from './standard-normal-quantile';

describe('standardNormalQuantile', () => {
  it.each([
    // Published quantiles of the standard normal distribution (e.g. Abramowitz & Stegun, table 26.5).
    [0.5, 0],
    [0.75, 0.6744897501960817],
    [0.9, 1.2815515655446004],
    [0.95, 1.6448536269514722],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.999, 3.090232306167813],
    [0.9999, 3.719016485455709],
    [0.3, -0.5244005127080407],
  ])('gives z(%p) = %p', (probability, expected) => {
    expect(standardNormalQuantile(probability)).toBeCloseTo(expected, 12);
  });

  it('matches the two-sided 95% critical value to six decimals', () => {
    expect(standardNormalQuantile(0.975).toFixed(6)).toBe('1.959964');
  });

  it('is accurate in the far tails, where the third approximation applies', () => {
    expect(standardNormalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(standardNormalQuantile(1e-300)).toBeCloseTo(-37.0470962993612, 9);
  });

  it('is antisymmetric about one half', () => {
    for (const probability of [0.01, 0.1, 0.2, 0.4, 0.49]) {
      expect(standardNormalQuantile(1 - probability)).toBeCloseTo(-standardNormalQuantile(probability), 12);
    }
  });

  it.each([0, 1, -0.1, 1.5, Number.NaN])('rejects probability %p', (probability) => {
    expect(() => standardNormalQuantile(probability)).toThrow(
      `standardNormalQuantile: probability must be strictly between 0 and 1, got ${probability}`,
    );
  });
});

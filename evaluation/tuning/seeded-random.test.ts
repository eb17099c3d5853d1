import { seededRandom } from './seeded-random';

describe('seededRandom', () => {
  const draws = (seed: number) => {
    const random = seededRandom(seed);
    return Array.from({ length: 5 }, () => [random.fraction(), random.index(1000)]);
  };

  it('repeats its stream for a seed and differs between seeds', () => {
    expect(draws(12)).toEqual(draws(12));
    expect(draws(13)).not.toEqual(draws(12));
  });

  it('gives fractions in [0, 1) that spread evenly', () => {
    const random = seededRandom(1);
    const fractions = Array.from({ length: 10_000 }, () => random.fraction());
    expect(Math.min(...fractions)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...fractions)).toBeLessThan(1);
    const mean = fractions.reduce((sum, fraction) => sum + fraction, 0) / fractions.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    // Every tenth of the interval gets its share (10% ± 1.5 points over 10,000 draws).
    for (let tenth = 0; tenth < 10; tenth += 1) {
      const share = fractions.filter((fraction) => Math.floor(fraction * 10) === tenth).length / fractions.length;
      expect(Math.abs(share - 0.1)).toBeLessThan(0.015);
    }
  });

  it('gives every index from 0 to count - 1, and no other', () => {
    const random = seededRandom(2);
    const indexes = new Set(Array.from({ length: 1_000 }, () => random.index(7)));
    expect([...indexes].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

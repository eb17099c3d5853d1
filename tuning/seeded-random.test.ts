import { seededRandom, shuffled } from './seeded-random';

describe('seededRandom', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const first = Array.from({ length: 5 }, seededRandom(12));
    expect(Array.from({ length: 5 }, seededRandom(12))).toEqual(first);
    expect(Array.from({ length: 5 }, seededRandom(13))).not.toEqual(first);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const random = seededRandom(1);
    const draws = Array.from({ length: 10_000 }, () => random());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((sum, draw) => sum + draw, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });

  it('shuffles into a permutation without changing the input', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const result = shuffled(items, seededRandom(4));
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...result].sort((left, right) => left - right)).toEqual(items);
    expect(result).not.toEqual(items);
  });
});

import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';

/**
 * Draws from a seeded xoroshiro128+ stream (pure-rand): the same seed gives the same draws on every
 * machine, so a tuning run can be reproduced from its seed. Not for cryptography.
 */
export interface SeededRandom {
  /** A whole number from 0 to `count - 1`, each equally likely. */
  index(count: number): number;
  /** A number in [0, 1): a multiple of 2^-53, each equally likely. */
  fraction(): number;
}

/** A seeded stream of draws; `seed` is read as a 32-bit integer. */
export function seededRandom(seed: number): SeededRandom {
  const generator = xoroshiro128plus(seed);
  const index = (count: number) => unsafeUniformIntDistribution(0, count - 1, generator);
  return {
    index,
    // 53 random bits, the most a double holds in [0, 1): 26 high bits, then 27 low ones.
    fraction: () => (index(2 ** 26) * 2 ** 27 + index(2 ** 27)) / 2 ** 53,
  };
}

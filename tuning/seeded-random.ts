/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same stream on every
 * machine, so a tuning run can be reproduced from its seed. Not for cryptography.
 *
 * @returns a function giving numbers in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number from 0 to `count - 1`, drawn from `random`. */
export function randomIndex(random: () => number, count: number): number {
  return Math.floor(random() * count);
}

/** A new array holding `items` in an order shuffled by `random` (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items];
  for (let index = result.length - 1; index > 0; index -= 1) {
    const other = randomIndex(random, index + 1);
    [result[index], result[other]] = [result[other]!, result[index]!];
  }
  return result;
}

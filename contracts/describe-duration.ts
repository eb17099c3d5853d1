const units: Array<[suffix: string, milliseconds: number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** Milliseconds in the largest unit that holds them whole: 86400000 → `1d`, 5400000 → `90m`, 2500 → `2500ms`. */
export function describeDuration(milliseconds: number): string {
  for (const [suffix, size] of units) {
    if (milliseconds >= size && milliseconds % size === 0) return `${milliseconds / size}${suffix}`;
  }
  return `${milliseconds}ms`;
}

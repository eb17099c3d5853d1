/** Round tick positions for a chart axis. */
export interface AxisTicks {
  /** The first tick, at or below the range's low end. */
  low: number;
  /** The last tick, at or above the range's high end. */
  high: number;
  /** The distance between ticks: 1, 2, 2.5 or 5 times a power of ten. */
  step: number;
  /** Every tick from `low` to `high`. */
  values: number[];
  /** The decimals needed to write every tick exactly. */
  decimals: number;
}

/**
 * Ticks at round numbers covering `[low, high]`, about `targetCount` intervals apart (never fewer steps
 * than needed to stay at or under a step of `(high - low) / targetCount`). An empty range is widened to one unit.
 */
export function niceTicks(range: readonly [number, number], targetCount = 5): AxisTicks {
  const low = Math.min(range[0], range[1]);
  const high = low === Math.max(range[0], range[1]) ? low + 1 : Math.max(range[0], range[1]);
  const rawStep = (high - low) / targetCount;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 2.5, 5, 10]
    .map((multiple) => multiple * magnitude)
    .find((candidate) => candidate >= rawStep * (1 - 1e-9))!;
  const decimals = decimalsOf(step);
  // The small tolerances keep a bound that sits on a tick (up to rounding) from gaining an extra step.
  const first = Math.floor(low / step + 1e-9);
  const last = Math.ceil(high / step - 1e-9);
  const values = Array.from({ length: last - first + 1 }, (_unused, index) =>
    Number(((first + index) * step).toFixed(decimals)),
  );
  return { low: values[0]!, high: values[values.length - 1]!, step, values, decimals };
}

function decimalsOf(value: number): number {
  for (let decimals = 0; decimals < 15; decimals += 1) {
    if (Math.abs(Number(value.toFixed(decimals)) - value) <= Math.abs(value) * 1e-9) return decimals;
  }
  return 15;
}

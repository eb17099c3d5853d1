/** How tuning reports its figures, the same in every line: shares, accuracy points and losses. */

/** A share as a percentage with one decimal: 0.734 → `73.4%`. */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** A difference already in points, with its sign: 0.7 → `+0.7 points`. */
export function signedPoints(points: number): string {
  return `${points >= 0 ? '+' : ''}${points.toFixed(1)} points`;
}

/** A loss in accuracy (0.0123) as points with two decimals: `1.23 points`. */
export function lossPoints(loss: number): string {
  return `${(loss * 100).toFixed(2)} points`;
}

/** How many decisions reached each verdict: `pays 4, not-enough-rows 1`. */
export function describeVerdictCounts(verdicts: Partial<Record<string, number>>): string {
  return Object.entries(verdicts)
    .map(([verdict, count]) => `${verdict} ${count}`)
    .join(', ');
}

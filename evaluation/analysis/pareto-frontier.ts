/** A point of the cost-against-accuracy plane: a threshold's outcome, or a strategy's. */
export interface CostAccuracyPoint {
  /** Cost per 1,000 requests in USD. */
  costPer1kUsd: number;
  /** Accuracy as a fraction from 0 to 1. */
  accuracy: number;
}

/**
 * The points no other point beats: none is at most as costly and at least as accurate while being strictly
 * better in one. Sorted by cost, so accuracy rises strictly along it. Of points that tie exactly, the first
 * given is kept.
 */
export function paretoFrontier<Point extends CostAccuracyPoint>(points: readonly Point[]): Point[] {
  // Cheapest first and, at equal cost, most accurate first; the sort is stable, so exact ties keep input order.
  const sorted = [...points].sort(
    (left, right) => left.costPer1kUsd - right.costPer1kUsd || right.accuracy - left.accuracy,
  );
  const frontier: Point[] = [];
  for (const point of sorted) {
    const best = frontier[frontier.length - 1];
    if (best === undefined || point.accuracy > best.accuracy) frontier.push(point);
  }
  return frontier;
}

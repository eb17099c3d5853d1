import { paretoFrontier, type CostAccuracyPoint } from './pareto-frontier';

/** Options of `areaUnderCostAccuracyCurve`. */
export interface AreaUnderCurveOptions {
  /**
   * The cost interval `[low, high]` to average over, in the points' unit (USD per 1,000 requests). The
   * report uses cheap-only to flagship-only cost.
   * @default the points' own cheapest and dearest cost
   */
  costBounds?: readonly [number, number];
}

/**
 * The normalised area under the error-against-cost curve (Zellinger & Thomson, "Rational Tuning of LLM
 * Cascades via Probabilistic Modeling", TMLR 2025): the mean error (1 - accuracy) over the cost interval, so
 * it lies in [0, 1] whatever the currency, and lower is better.
 *
 * Exactly: take the Pareto frontier of the points (the lower envelope of error against cost), join its points
 * by straight lines, hold it flat at the first point's error below the cheapest point and at the last point's
 * error above the dearest, integrate that curve over `[low, high]` by trapezoids (cutting segments at the
 * bounds), and divide by `high - low`. When `low === high` it is the curve's error at that cost.
 *
 * The straight lines are achievable: routing a share of requests at one threshold and the rest at the next
 * gives every mix of their cost and accuracy. The flat extension below the cheapest point credits costs no
 * threshold reaches with that point's error, so bounds that start below the curve flatter it there.
 *
 * @throws RangeError when there are no points or the bounds are not finite with `low <= high`.
 */
export function areaUnderCostAccuracyCurve(
  points: readonly CostAccuracyPoint[],
  options: AreaUnderCurveOptions = {},
): number {
  if (points.length === 0) throw new RangeError('areaUnderCostAccuracyCurve: needs at least one point');
  const frontier = paretoFrontier(points).map((point) => ({ cost: point.costPer1kUsd, error: 1 - point.accuracy }));
  const [low, high] = options.costBounds ?? [frontier[0]!.cost, Math.max(...points.map((point) => point.costPer1kUsd))];
  if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) {
    throw new RangeError(
      `areaUnderCostAccuracyCurve: costBounds must be finite with low <= high, got [${low}, ${high}]`,
    );
  }
  const errorAt = (cost: number) => interpolatedError(frontier, cost);
  if (low === high) return errorAt(low);
  // The curve is linear between consecutive breakpoints, so trapezoids between them are exact.
  const breakpoints = [low, ...frontier.map((point) => point.cost).filter((cost) => cost > low && cost < high), high];
  let area = 0;
  for (let index = 1; index < breakpoints.length; index += 1) {
    const left = breakpoints[index - 1]!;
    const right = breakpoints[index]!;
    area += ((errorAt(left) + errorAt(right)) / 2) * (right - left);
  }
  return area / (high - low);
}

/** The frontier's error at `cost`: linear between its points, flat beyond its ends. */
function interpolatedError(frontier: ReadonlyArray<{ cost: number; error: number }>, cost: number): number {
  const first = frontier[0]!;
  const last = frontier[frontier.length - 1]!;
  if (cost <= first.cost) return first.error;
  if (cost >= last.cost) return last.error;
  const rightIndex = frontier.findIndex((point) => point.cost >= cost);
  const right = frontier[rightIndex]!;
  const left = frontier[rightIndex - 1]!;
  return left.error + ((right.error - left.error) * (cost - left.cost)) / (right.cost - left.cost);
}

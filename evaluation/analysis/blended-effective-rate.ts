import { cascadeAtThreshold, strategyFigures } from './cascade-at-threshold';
import type { EvaluationRecord } from './evaluation-record';

/**
 * What the cascade effectively charges per request, all tiers blended: the price a team would quote for
 * "the cascade" as if it were one model. Measured per request, not per token, because the cascade's tiers
 * bill different token counts for the same request. Plain JSON.
 */
export interface BlendedEffectiveRate {
  /** The cascade's total cost (cheap, gate and flagship) over the items, per 1,000 requests, in USD. */
  costPer1kUsd: number;
  /**
   * The cascade's cost over flagship-only cost on the same items (0.4 means the cascade costs 40% of the
   * flagship alone; above 1, more). `null` when flagship-only costs nothing.
   */
  fractionOfFlagshipOnly: number | null;
}

/** The cascade's blended effective rate at `threshold`. */
export function blendedEffectiveRate(records: readonly EvaluationRecord[], threshold: number): BlendedEffectiveRate {
  const cascade = cascadeAtThreshold(records, threshold);
  const flagshipOnlyCostUsd = strategyFigures(records).flagshipOnly.costUsd;
  return {
    costPer1kUsd: cascade.costPer1kUsd,
    fractionOfFlagshipOnly: flagshipOnlyCostUsd > 0 ? cascade.costUsd / flagshipOnlyCostUsd : null,
  };
}

import { mean } from 'simple-statistics';
import type { EvaluationRecord } from './evaluation-record';

/** Where the cascade stops paying. Plain JSON. */
export interface BreakEven {
  /**
   * The escalation rate `r*` at which the cascade's mean cost per request equals flagship-only:
   * `mean(cheap + gate) + r* x mean(flagship) = mean(flagship)`, so `r* = 1 - mean(cheap + gate) / mean(flagship)`.
   * Below `r*` the cascade is cheaper than the flagship alone; above it, dearer. At or below 0 the cascade
   * never pays: the cheap tier and gate alone cost as much as the flagship. `null` when the flagship costs
   * nothing on average (or there are no records), so no rate balances the two.
   *
   * It prices an escalation at the mean flagship cost; when the escalated items are longer or shorter than
   * average, the cascade's measured cost at a threshold (which charges each item its own cost) tells the truth.
   */
  escalationRate: number | null;
  /** Mean per-request cost of the cheap tier and the gate, which the cascade pays on every request. */
  meanCheapAndGateCostUsd: number;
  /** Mean per-request cost of the flagship. */
  meanFlagshipCostUsd: number;
}

/** The break-even escalation rate of a cascade over these items, and the two means it comes from. */
export function breakEven(records: readonly EvaluationRecord[]): BreakEven {
  const meanCheapAndGateCostUsd = meanOrZero(records.map((record) => record.cheapCostUsd + record.gateCostUsd));
  const meanFlagshipCostUsd = meanOrZero(records.map((record) => record.flagshipCostUsd));
  return {
    escalationRate: meanFlagshipCostUsd > 0 ? 1 - meanCheapAndGateCostUsd / meanFlagshipCostUsd : null,
    meanCheapAndGateCostUsd,
    meanFlagshipCostUsd,
  };
}

function meanOrZero(values: readonly number[]): number {
  return values.length === 0 ? 0 : mean(values);
}

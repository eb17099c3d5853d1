/**
 * One labelled item as `analyze` and `tune` see it: what the cheap tier said and cost, what the gate
 * thought of it, and what the flagship said and cost. The cascade's decision at any threshold follows
 * from it, so one pass over the data gives the whole cost-against-accuracy curve. Plain JSON.
 */
export interface EvaluationRecord {
  /** The item's id (a dataset row id). */
  id: string;
  /** The item's subset (a dataset row's `dataset` field), for per-benchmark figures. */
  subset: string;
  /** Whether the cheap model's answer is right (the dataset's label). */
  cheapCorrect: boolean;
  /** Whether the flagship's answer is right. */
  flagshipCorrect: boolean;
  /**
   * The gate's raw difficulty signal for the cheap answer, before calibration (for the confidence gate,
   * the aggregated log-probability, at most 0); `undefined` when the answer carried none.
   */
  signal: number | undefined;
  /** The gate's score for the cheap answer (0 to 1) under the route's gate as configured. */
  score: number;
  /**
   * Whether the parts of the gate that have no threshold (format, schema, refusal, ...) passed. An
   * item that fails them escalates at every threshold.
   */
  deterministicPass: boolean;
  /** What the cheap tier cost: its answer, and any extra samples. */
  cheapCostUsd: number;
  /** What gating cost beyond the cheap tier (judge calls). */
  gateCostUsd: number;
  /** What the flagship's answer cost. */
  flagshipCostUsd: number;
}

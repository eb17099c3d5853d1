/**
 * What a gate said of an answer. Recorded in the workflow history, so it is plain JSON.
 */
export interface GateVerdict {
  /** The gate's kind (`json-schema`, `refusal`, `all`, ...). */
  gate: string;
  passed: boolean;
  /** From 0 (surely bad) to 1 (surely good). */
  score: number;
  /** Stable reason codes, empty when the gate passed (for example `schema_invalid`, `refusal`). */
  reasons: string[];
  /**
   * The score the gate was held to, for gates with a threshold. For a confidence gate held to a
   * `signalThreshold`, the score that signal threshold maps to (calibrated, or uncalibrated).
   */
  threshold?: number;
  /** The raw signal the gate was held to, when a confidence gate decides on `signalThreshold` (not on the score). */
  signalThreshold?: number;
  /**
   * The raw difficulty signal before calibration (the confidence gate's aggregated log-probability, or
   * its margin), so an analysis can refit the calibration from recorded verdicts.
   */
  signal?: number;
  /** One human line explaining the verdict. */
  detail: string;
  /** The verdicts of a composite gate's children. */
  children?: GateVerdict[];
}

/**
 * Reason codes of a request the flagship answered: a gate's or the cheap tier's for an escalation, and
 * `direct_to_flagship` for a request of a flagship-only route (no cheap call, no gate).
 */
export const escalationReasons = {
  jsonInvalid: 'json_invalid',
  schemaInvalid: 'schema_invalid',
  refusal: 'refusal',
  uncertain: 'uncertain',
  tooShort: 'too_short',
  patternMissing: 'pattern_missing',
  lowConfidence: 'low_confidence',
  noSignal: 'no_signal',
  inconsistent: 'inconsistent',
  judgeRejected: 'judge_rejected',
  weightedScoreLow: 'weighted_score_low',
  cheapTimeout: 'cheap_timeout',
  cheapUnavailable: 'cheap_unavailable',
  /** Every model of the cheap tier was refused by its open circuit: no provider request was made. */
  cheapCircuitOpen: 'cheap_circuit_open',
  cheapRequestRejected: 'cheap_request_rejected',
  directToFlagship: 'direct_to_flagship',
} as const;
export type EscalationReason = (typeof escalationReasons)[keyof typeof escalationReasons];

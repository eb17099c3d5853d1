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
  /** The score the gate was held to, for gates with a threshold. */
  threshold?: number;
  /**
   * The raw difficulty signal before calibration (the confidence gate's aggregated log-probability),
   * so an analysis can refit the calibration from recorded verdicts.
   */
  signal?: number;
  /** One human line explaining the verdict. */
  detail: string;
  /** The verdicts of a composite gate's children. */
  children?: GateVerdict[];
}

/** Reason codes a gate or the cheap tier gives for an escalation. */
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
  cheapRequestRejected: 'cheap_request_rejected',
} as const;
export type EscalationReason = (typeof escalationReasons)[keyof typeof escalationReasons];

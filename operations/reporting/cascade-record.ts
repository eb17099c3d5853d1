import type { CascadeOutcome } from '../../contracts/cascade/cascade-result';

/** One finished cascade, as summaries count it. Plain JSON. */
export interface CascadeRecord {
  route: string;
  outcome: CascadeOutcome;
  /** Why it escalated (escalated, and failed after an escalation). */
  escalationReason?: string;
  /** The failure type of a failed cascade. */
  failureType?: string;
  /** What the cascade paid. */
  costUsd: number;
  /** What the flagship alone would have cost (0 for a failed cascade: the flagship gave no answer). */
  flagshipOnlyUsd: number;
  /** Start to answer, as the caller saw it. */
  latencyMs: number;
  /** Whether the answer was right, when a label is known (replayed datasets). */
  correct?: boolean;
  /** Whether each tier alone would have been right, when labels are known. */
  cheapCorrect?: boolean;
  flagshipCorrect?: boolean;
}

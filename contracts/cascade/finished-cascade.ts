import type { CascadeCost, CascadeOutcome } from './cascade-result';
import type { Tier } from './route-policy';

/**
 * One finished cascade, as the workflow hands it to the cost ledger at its end (plain JSON, no
 * secrets). The ledger stamps the time it was written.
 */
export interface FinishedCascade {
  workflowId: string;
  runId: string;
  requestId: string;
  route: string;
  outcome: CascadeOutcome;
  /** Why it escalated (escalated, and failed after an escalation or while escalating). */
  escalationReason?: string;
  /** The failure type of a failed cascade. */
  failureType?: string;
  /** The tier whose answer was returned; absent on a failure. */
  answerTier?: Tier;
  /** The model whose answer was returned (a fallback's, when one answered); absent on a failure and in rows written before it was kept. */
  answerModel?: string;
  cost: CascadeCost;
  /** When the workflow started, ISO 8601. */
  startedAt: string;
  /** The back-fill job that started it, if any. */
  backfillJob?: string;
  tags: Record<string, string>;
}

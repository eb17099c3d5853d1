import { applicationFailureOf } from '../cause-chain';
import { failureTypes } from '../failure-types';
import type { FinishedRequest } from './backfill-job';
import type { CascadeCost, CascadeResult } from '../cascade/cascade-result';

/** A cascade's answer as a finished request of a job. */
export function finishedFromResult(workflowId: string, result: CascadeResult): FinishedRequest {
  return {
    requestId: result.requestId,
    workflowId,
    outcome: result.outcome,
    ...(result.escalationReason ? { escalationReason: result.escalationReason } : {}),
    costUsd: result.cost.totalUsd,
    flagshipOnlyUsd: result.cost.flagshipOnlyUsd,
    judgeUsd: result.cost.judgeUsd,
  };
}

/**
 * A cascade's failure as a finished request of a job: the failure's stable type and message, and
 * what the cascade had spent before it failed (from the failure's recorded details).
 */
export function finishedFromFailure(requestId: string, workflowId: string, failure: unknown): FinishedRequest {
  const cause = applicationFailureOf(failure);
  const details = (cause?.details?.[0] ?? {}) as {
    cost?: Partial<CascadeCost>;
    escalationReason?: string;
    refused?: unknown;
  };
  const message = cause?.message ?? (failure instanceof Error ? failure.message : String(failure));
  // A budget at its hard cap refused it before any model call: its own outcome, not a failure of the cascade.
  const refused = cause?.type === failureTypes.budgetExceeded && details.refused === true;
  return {
    requestId,
    workflowId,
    outcome: refused ? 'refused' : 'failed',
    ...(details.escalationReason ? { escalationReason: details.escalationReason } : {}),
    failureType: cause?.type ?? (failure instanceof Error ? failure.name : 'unknown'),
    failureReason: message,
    costUsd: details.cost?.totalUsd ?? 0,
    flagshipOnlyUsd: 0,
    judgeUsd: details.cost?.judgeUsd ?? 0,
  };
}

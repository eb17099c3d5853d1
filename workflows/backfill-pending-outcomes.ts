import type { FinishedRequest } from '../contracts/backfill/backfill-job';
import type { RequestOutcome } from '../operations/backfill/sources/request-source';

/** Outcomes that fill a batch: once this many wait, they are written back without waiting for more. */
export const outcomeBatchSize = 50;
/** Outcomes written back to the source in one call at most. */
export const outcomesPerWrite = outcomeBatchSize * 4;

/** How a finished request is written back to its source: failure type or escalation reason as the reason. */
export function requestOutcomeOf(finished: FinishedRequest): RequestOutcome {
  return {
    requestId: finished.requestId,
    outcome: finished.outcome,
    ...(finished.outcome === 'failed' || finished.outcome === 'refused'
      ? { reason: finished.failureType }
      : finished.escalationReason
        ? { reason: finished.escalationReason }
        : {}),
    costUsd: finished.costUsd,
    workflowId: finished.workflowId ?? '',
  };
}

/** The outcomes not yet written back to the source, in the order the requests finished. */
export class PendingOutcomes {
  private readonly outcomes: RequestOutcome[] = [];

  add(finished: FinishedRequest): void {
    this.outcomes.push(requestOutcomeOf(finished));
  }

  get count(): number {
    return this.outcomes.length;
  }

  /** True when a batch's worth waits (a table's rows are marked done in batches). */
  get hasFullBatch(): boolean {
    return this.outcomes.length >= outcomeBatchSize;
  }

  /** Removes and returns the oldest outcomes, as many as one write takes. */
  takeWrite(): RequestOutcome[] {
    return this.outcomes.splice(0, outcomesPerWrite);
  }
}

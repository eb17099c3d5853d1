import type { FinishedCascade } from '../contracts/cascade/finished-cascade';
import type { CostLedger } from '../operations/ledger/cost-ledger';
import type { CascadeMetrics } from '../operations/metrics/cascade-metrics';
import { annotateActiveSpan, cascadeSpanAttributes } from '../operations/tracing/span-attributes';

/**
 * Counts a finished cascade in the worker's metrics and writes its cost row to the worker's ledger,
 * stamped with the time of writing. A worker without a ledger writes no row (the search attributes carry
 * the same figures).
 */
export function createRecordOutcome(dependencies: { ledger?: CostLedger; metrics?: CascadeMetrics }) {
  return async function recordOutcome(finished: FinishedCascade): Promise<{ recorded: boolean }> {
    dependencies.metrics?.recordCascade(finished, (Date.now() - Date.parse(finished.startedAt)) / 1000);
    annotateActiveSpan({
      [cascadeSpanAttributes.route]: finished.route,
      [cascadeSpanAttributes.requestId]: finished.requestId,
      [cascadeSpanAttributes.outcome]: finished.outcome,
      [cascadeSpanAttributes.costUsd]: finished.cost.totalUsd,
      [cascadeSpanAttributes.flagshipOnlyCostUsd]: finished.cost.flagshipOnlyUsd,
      ...(finished.escalationReason ? { [cascadeSpanAttributes.escalationReason]: finished.escalationReason } : {}),
      ...(finished.answerTier ? { [cascadeSpanAttributes.answerTier]: finished.answerTier } : {}),
      ...(finished.failureType ? { [cascadeSpanAttributes.failureType]: finished.failureType } : {}),
    });
    if (!dependencies.ledger) return { recorded: false };
    await dependencies.ledger.record({ ...finished, finishedAt: new Date().toISOString() });
    return { recorded: true };
  };
}

import type { FinishedCascade } from '../contracts/cascade/finished-cascade';
import type { CostLedger } from '../operations/ledger/cost-ledger';

/**
 * Writes a finished cascade's cost row to the worker's ledger, stamped with the time of writing. A
 * worker without a ledger records nothing (the search attributes carry the same figures).
 */
export function createRecordOutcome(dependencies: { ledger?: CostLedger }) {
  return async function recordOutcome(finished: FinishedCascade): Promise<{ recorded: boolean }> {
    if (!dependencies.ledger) return { recorded: false };
    await dependencies.ledger.record({ ...finished, finishedAt: new Date().toISOString() });
    return { recorded: true };
  };
}

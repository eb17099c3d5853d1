import type { FinishedCascade } from '../../contracts/cascade/finished-cascade';
import type { ModelCallJournal } from './model-call-journal';
import type { BudgetStanding } from '../../contracts/cascade/budget';
import type { SharedCircuitStore } from '../traffic/circuit-breakers';

/** Where budgets and their spend are read. */
export interface BudgetStore {
  /** The budgets of a customer and of a route, each with its spend in its period holding `at`. */
  standings(options: { at: Date; customer?: string; route?: string }): Promise<BudgetStanding[]>;
}

/** A finished cascade as the ledger stores it: stamped with the time it was written. */
export interface LedgerEntry extends FinishedCascade {
  /** When the cascade finished (the time the worker wrote the row), ISO 8601. */
  finishedAt: string;
}

/**
 * Where every finished cascade writes one cost row, when a worker has one configured; reports read it
 * instead of scanning visibility. Writing the same workflow run twice keeps one row.
 */
export interface CostLedger {
  record(entry: LedgerEntry): Promise<void>;
  /**
   * Which of these runs have no row yet (their run ids), so a reconciliation reads only their results.
   * @default every run is treated as missing (the reconciliation writes them all, idempotently)
   */
  missingRuns?(runs: ReadonlyArray<{ workflowId: string; runId: string }>): Promise<Set<string>>;
  /** The journal of model calls, for counting calls a kill or a timeout cut off as possibly billed. @default none */
  modelCalls?: ModelCallJournal;
  /** The spending budgets kept with the ledger, their spend read from its rows. @default none */
  budgets?: BudgetStore;
  /**
   * The open circuits the deployment's workers share through the ledger's database, read from now on
   * (see `circuitBreaker.shared`). @default none: circuits cannot be shared
   */
  sharedCircuits?(options: { onError?: (error: unknown) => void }): Promise<SharedCircuitStore>;
  /** Creates what the ledger needs if missing (a table), so an unreachable store fails at worker start. */
  ensureSchema?(): Promise<void>;
  close(): Promise<void>;
}

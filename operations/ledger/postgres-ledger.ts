import type { Pool } from 'pg';
import type { CostLedger, LedgerEntry } from './cost-ledger';
import type { ModelCallJournal } from './model-call-journal';
import { PostgresBudgets } from '../budgets/postgres-budgets';
import { PostgresCircuitStore } from '../traffic/postgres-circuit-store';
import { createLedgerPool, type LedgerTableOptions } from './ledger-pool';
import { checkLedgerTableName, defaultLedgerTable, ledgerSchemaSql } from './ledger-schema';

/**
 * The cost ledger in a PostgreSQL table (see `operations/ledger/README.md`): one row per finished workflow run.
 * Writing the same run again (an activity retried after its row was written) keeps the first row.
 */
export class PostgresCostLedger implements CostLedger {
  readonly table: string;
  private readonly pool: Pool;
  /** Model calls, in `<table>_calls`: started, and answered or not. */
  readonly modelCalls: ModelCallJournal = {
    started: async (call) => {
      await this.pool.query(
        `INSERT INTO ${this.table}_calls (workflow_id, run_id, activity_id, attempt, model) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [call.workflowId, call.runId, call.activityId, call.attempt, call.model],
      );
    },
    answered: async (call) => {
      await this.pool.query(
        `UPDATE ${this.table}_calls SET answered_at = now(), billable = $5
          WHERE workflow_id = $1 AND run_id = $2 AND activity_id = $3 AND attempt = $4`,
        [call.workflowId, call.runId, call.activityId, call.attempt, call.billable],
      );
    },
    unrecordedBefore: async (call) => {
      const result = await this.pool.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM ${this.table}_calls
          WHERE workflow_id = $1 AND run_id = $2 AND activity_id = $3 AND attempt < $4
            AND (answered_at IS NULL OR billable)`,
        [call.workflowId, call.runId, call.activityId, call.attempt],
      );
      return result.rows[0]?.count ?? 0;
    },
  };

  /** The budgets in `<table>_budgets`, on this ledger's connections. */
  readonly budgets: PostgresBudgets;
  private circuitStore: PostgresCircuitStore | undefined;

  constructor(options: LedgerTableOptions) {
    this.table = checkLedgerTableName(options.table ?? defaultLedgerTable);
    this.pool = createLedgerPool(options);
    this.budgets = new PostgresBudgets({ pool: this.pool, table: this.table });
  }

  /** Creates the ledger and checks that the database answers. */
  static async connect(options: LedgerTableOptions): Promise<PostgresCostLedger> {
    const ledger = new PostgresCostLedger(options);
    try {
      await ledger.ensureSchema();
    } catch (error) {
      await ledger.close();
      throw error;
    }
    return ledger;
  }

  /**
   * Creates the table and its indexes if they do not exist. Workers starting together take turns
   * (a transaction-scoped advisory lock), since concurrent `CREATE TABLE IF NOT EXISTS` can collide.
   */
  async ensureSchema(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.table]);
      await client.query(ledgerSchemaSql(this.table));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async record(entry: LedgerEntry): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (
         workflow_id, run_id, request_id, route, outcome, escalation_reason, failure_type, answer_tier, customer, backfill_job,
         total_usd, cheap_usd, flagship_usd, judge_usd, flagship_only_usd, started_at, finished_at, tags,
         possibly_billed_calls, answer_model
       ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (workflow_id, run_id) DO NOTHING`,
      [
        entry.workflowId,
        entry.runId,
        entry.requestId,
        entry.route,
        entry.outcome,
        entry.escalationReason ?? null,
        entry.failureType ?? null,
        entry.answerTier ?? null,
        entry.tags.customer ?? null,
        entry.backfillJob ?? null,
        entry.cost.totalUsd,
        entry.cost.cheapUsd,
        entry.cost.flagshipUsd,
        entry.cost.judgeUsd,
        entry.cost.flagshipOnlyUsd,
        entry.startedAt,
        entry.finishedAt,
        JSON.stringify(entry.tags),
        entry.cost.possiblyBilledCalls ?? 0,
        entry.answerModel ?? null,
      ],
    );
  }

  async missingRuns(runs: ReadonlyArray<{ workflowId: string; runId: string }>): Promise<Set<string>> {
    if (runs.length === 0) return new Set();
    const present = await this.pool.query<{ run_id: string }>(
      `SELECT run_id FROM ${this.table} WHERE run_id = ANY($1::text[])`,
      [runs.map((run) => run.runId)],
    );
    const recorded = new Set(present.rows.map((row) => row.run_id));
    return new Set(runs.map((run) => run.runId).filter((runId) => !recorded.has(runId)));
  }

  /**
   * The open circuits shared in `<table>_circuits`, read every `refreshMs` (default one second) from the
   * first call until `close()`.
   */
  async sharedCircuits(
    options: { onError?: (error: unknown) => void; refreshMs?: number } = {},
  ): Promise<PostgresCircuitStore> {
    this.circuitStore ??= new PostgresCircuitStore({ pool: this.pool, table: this.table, ...options });
    await this.circuitStore.start();
    return this.circuitStore;
  }

  async close(): Promise<void> {
    await this.circuitStore?.stop();
    await this.pool.end();
  }
}

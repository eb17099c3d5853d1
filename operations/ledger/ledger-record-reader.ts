import type { Pool } from 'pg';
import type { CascadeOutcome } from '../../contracts/cascade/cascade-result';
import type { Tier } from '../../contracts/cascade/route-policy';
import type { CascadeRecordQuery, CascadeRecordReader, ReportedCascade } from '../reporting/reported-cascade';
import { createLedgerPool, type LedgerTableOptions } from './ledger-pool';
import { checkLedgerTableName, defaultLedgerTable } from './ledger-schema';

interface LedgerRow {
  workflow_id: string;
  route: string;
  outcome: CascadeOutcome;
  escalation_reason: string | null;
  failure_type: string | null;
  answer_tier: Tier | null;
  answer_model: string | null;
  customer: string | null;
  backfill_job: string | null;
  total_usd: number;
  judge_usd: number;
  flagship_only_usd: number;
  started_at: Date;
  finished_at: Date;
}

/**
 * Reads finished cascades back from the cost ledger: the rows whose `finished_at` falls in the
 * query's window, filtered by route and back-fill job in SQL (both are indexed with time).
 */
export class LedgerRecordReader implements CascadeRecordReader {
  readonly table: string;
  private readonly pool: Pool;

  constructor(options: LedgerTableOptions) {
    this.table = checkLedgerTableName(options.table ?? defaultLedgerTable);
    this.pool = createLedgerPool(options);
  }

  async read(query: CascadeRecordQuery): Promise<ReportedCascade[]> {
    const conditions = ['finished_at >= $1', 'finished_at < $2'];
    const values: unknown[] = [query.since, query.until ?? new Date()];
    if (query.route !== undefined) {
      values.push(query.route);
      conditions.push(`route = $${values.length}`);
    }
    if (query.backfillJob !== undefined) {
      values.push(query.backfillJob);
      conditions.push(`backfill_job = $${values.length}`);
    }
    const result = await this.pool.query<LedgerRow>(
      `SELECT workflow_id, route, outcome, escalation_reason, failure_type, answer_tier, answer_model, customer, backfill_job,
              total_usd, judge_usd, flagship_only_usd, started_at, finished_at
         FROM ${this.table}
        WHERE ${conditions.join(' AND ')}
        ORDER BY finished_at, workflow_id`,
      values,
    );
    return result.rows.map(reportedCascadeOf);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function reportedCascadeOf(row: LedgerRow): ReportedCascade {
  return {
    workflowId: row.workflow_id,
    route: row.route,
    outcome: row.outcome,
    ...(row.escalation_reason !== null ? { escalationReason: row.escalation_reason } : {}),
    ...(row.failure_type !== null ? { failureType: row.failure_type } : {}),
    ...(row.answer_tier !== null ? { answerTier: row.answer_tier } : {}),
    ...(row.answer_model !== null ? { answerModel: row.answer_model } : {}),
    ...(row.customer !== null ? { customer: row.customer } : {}),
    ...(row.backfill_job !== null ? { backfillJob: row.backfill_job } : {}),
    costUsd: row.total_usd,
    flagshipOnlyUsd: row.flagship_only_usd,
    judgeUsd: row.judge_usd,
    latencyMs: row.finished_at.getTime() - row.started_at.getTime(),
    startedAt: row.started_at,
    closedAt: row.finished_at,
  };
}

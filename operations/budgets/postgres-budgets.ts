import type { Pool } from 'pg';
import {
  budgetPeriodOf,
  budgetStateOf,
  type BudgetLimit,
  type BudgetPeriod,
  type BudgetScope,
  type BudgetStanding,
} from '../../contracts/cascade/budget';

interface BudgetRow {
  scope: BudgetScope;
  name: string;
  period: BudgetPeriod;
  soft_usd: number | null;
  hard_usd: number | null;
  action: BudgetLimit['action'];
  spent_usd: number;
}

/**
 * Budgets kept next to the cost ledger (`<table>_budgets`, created with the ledger's schema), with their
 * spend read from the ledger's rows of the period: what finished cascades paid, one row per run, so
 * neither a restart nor a retried write changes it.
 */
export class PostgresBudgets {
  private readonly pool: Pool;
  /** The ledger table (checked by the ledger); the budgets are in `<table>_budgets`. */
  private readonly table: string;

  /** On the ledger's connections (`PostgresCostLedger.budgets`), which the ledger closes. */
  constructor(options: { pool: Pool; table: string }) {
    this.pool = options.pool;
    this.table = options.table;
  }

  /** Sets (or replaces) the budget of a customer or route for a period. */
  async set(limit: BudgetLimit): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table}_budgets (scope, name, period, soft_usd, hard_usd, action, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (scope, name, period) DO UPDATE
         SET soft_usd = EXCLUDED.soft_usd, hard_usd = EXCLUDED.hard_usd, action = EXCLUDED.action, updated_at = now()`,
      [limit.scope, limit.name, limit.period, limit.softUsd ?? null, limit.hardUsd ?? null, limit.action],
    );
  }

  /** Removes a budget; tells whether there was one. */
  async remove(budget: { scope: BudgetScope; name: string; period: BudgetPeriod }): Promise<boolean> {
    const result = await this.pool.query(
      `DELETE FROM ${this.table}_budgets WHERE scope = $1 AND name = $2 AND period = $3`,
      [budget.scope, budget.name, budget.period],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * Every budget (or those of one customer or route) with its spend in the period holding `at`, by scope,
   * name and period.
   */
  async standings(options: { at: Date; customer?: string; route?: string; all?: boolean }): Promise<BudgetStanding[]> {
    const day = budgetPeriodOf('day', options.at);
    const month = budgetPeriodOf('month', options.at);
    const values: unknown[] = [day.start, month.start, options.at];
    let filter = '';
    if (!options.all) {
      values.push(options.customer ?? null, options.route ?? null);
      filter = `WHERE (b.scope = 'customer' AND b.name = $4) OR (b.scope = 'route' AND b.name = $5)`;
    }
    // Each budget's spend: the ledger's rows of its scope that finished in its period so far.
    const result = await this.pool.query<BudgetRow>(
      `SELECT b.scope, b.name, b.period, b.soft_usd, b.hard_usd, b.action,
              (SELECT coalesce(sum(l.total_usd), 0)::double precision FROM ${this.table} l
                WHERE l.finished_at >= (CASE b.period WHEN 'day' THEN $1::timestamptz ELSE $2::timestamptz END)
                  AND l.finished_at <= $3::timestamptz
                  AND ((b.scope = 'customer' AND l.customer = b.name) OR (b.scope = 'route' AND l.route = b.name))
              ) AS spent_usd
         FROM ${this.table}_budgets b ${filter}
        ORDER BY b.scope, b.name, b.period`,
      values,
    );
    return result.rows.map((row) => {
      const limit: BudgetLimit = {
        scope: row.scope,
        name: row.name,
        period: row.period,
        ...(row.soft_usd !== null ? { softUsd: row.soft_usd } : {}),
        ...(row.hard_usd !== null ? { hardUsd: row.hard_usd } : {}),
        action: row.action,
      };
      const period = row.period === 'day' ? day : month;
      return {
        limit,
        spentUsd: row.spent_usd,
        periodStart: period.start.toISOString(),
        periodEnd: period.end.toISOString(),
        state: budgetStateOf(limit, row.spent_usd),
      };
    });
  }
}

import type pino from 'pino';
import { budgetCheckOf, budgetLabel, type BudgetCheck } from '../contracts/cascade/budget';
import type { CostLedger } from '../operations/ledger/cost-ledger';
import type { CascadeMetrics } from '../operations/metrics/cascade-metrics';

export interface CheckBudgetInput {
  route: string;
  /** The request's `customer` tag, when it has one. */
  customer?: string;
}

/**
 * Builds the `checkBudget` local activity: the standing of the budgets of a request's customer and route,
 * read from the cost ledger before the request spends anything; `none` on a worker without a ledger. A
 * budget store that cannot be read lets the request through (`unavailable`, logged): an outage of the
 * ledger's database should not stop traffic.
 */
export function createCheckBudget(dependencies: {
  ledger?: CostLedger;
  metrics?: CascadeMetrics;
  logger: pino.Logger;
}) {
  return async function checkBudget(input: CheckBudgetInput): Promise<BudgetCheck> {
    const store = dependencies.ledger?.budgets;
    if (!store) return { state: 'none' };
    let standings;
    try {
      standings = await store.standings({ at: new Date(), customer: input.customer, route: input.route });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      dependencies.logger.error(
        { route: input.route, error: message },
        'budgets unreadable: the request is let through',
      );
      return { state: 'none', unavailable: message };
    }
    for (const standing of standings) dependencies.metrics?.recordBudgetStanding(standing);
    const check = budgetCheckOf(standings);
    if (check.deciding && check.state !== 'ok') {
      const { limit, spentUsd } = check.deciding;
      dependencies.logger.warn(
        {
          budget: budgetLabel(limit),
          spentUsd,
          softUsd: limit.softUsd,
          hardUsd: limit.hardUsd,
          route: input.route,
          ...(check.action ? { action: check.action } : {}),
        },
        check.state === 'hard' ? `budget at its hard cap: ${check.action}` : 'budget past its soft cap',
      );
    }
    return check;
  };
}

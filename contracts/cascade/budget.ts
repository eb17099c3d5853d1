import { z } from 'zod';

/**
 * Spending budgets: a cap on what one customer (the request's `customer` tag) or one route spends per UTC
 * day or month. Spend is what the cost ledger holds for the period (finished cascades, one row per run),
 * so a restart neither resets it nor counts a cascade twice; a request is checked before it spends, so the
 * spend passes the cap by at most the requests in flight when it was reached.
 */

export const budgetScopes = ['customer', 'route'] as const;
export type BudgetScope = (typeof budgetScopes)[number];

export const budgetPeriods = ['day', 'month'] as const;
export type BudgetPeriod = (typeof budgetPeriods)[number];

/** What a request gets once its budget's hard cap is reached. */
export const budgetActions = ['refuse', 'cheap-only'] as const;
export type BudgetAction = (typeof budgetActions)[number];

export const budgetLimitSchema = z
  .object({
    scope: z.enum(budgetScopes),
    /** The customer tag or the route name. */
    name: z.string().min(1).max(200),
    period: z.enum(budgetPeriods),
    /** Above this spend, requests still run, with a warning in the log and the result, and an alert. */
    softUsd: z.number().nonnegative().optional(),
    /** At this spend, `action` applies. */
    hardUsd: z.number().nonnegative().optional(),
    /** @default refuse */
    action: z.enum(budgetActions),
  })
  .strict()
  .refine((limit) => limit.softUsd !== undefined || limit.hardUsd !== undefined, 'a budget needs softUsd or hardUsd')
  .refine(
    (limit) => limit.softUsd === undefined || limit.hardUsd === undefined || limit.softUsd <= limit.hardUsd,
    'softUsd must not exceed hardUsd',
  );
export type BudgetLimit = z.infer<typeof budgetLimitSchema>;

/** Where a budget stands: `ok`, past its soft cap (`soft`), or at its hard cap (`hard`). */
export type BudgetState = 'ok' | 'soft' | 'hard';

/** One budget with its spend in the current period. */
export interface BudgetStanding {
  limit: BudgetLimit;
  spentUsd: number;
  /** The period's start and end, ISO 8601 (UTC). */
  periodStart: string;
  periodEnd: string;
  state: BudgetState;
}

/**
 * The `checkBudget` local activity's answer for one request: the standing of every budget that applies
 * (its customer's, its route's) and the worst state. `none` when no budget applies or the worker keeps no
 * budgets (no cost ledger).
 */
export interface BudgetCheck {
  state: BudgetState | 'none';
  /** The budget that decided the state (the worst; at the hard cap, one whose action is `refuse` first). */
  deciding?: BudgetStanding;
  /** The action at the hard cap. */
  action?: BudgetAction;
  /** Why no budget was read: the store could not be (the request was let through). */
  unavailable?: string;
}

/** A budget's name in logs, metrics and messages: `customer acme, day`. */
export function budgetLabel(limit: Pick<BudgetLimit, 'scope' | 'name' | 'period'>): string {
  return `${limit.scope} ${limit.name}, ${limit.period}`;
}

/** The state a spend gives under a limit. */
export function budgetStateOf(limit: BudgetLimit, spentUsd: number): BudgetState {
  if (limit.hardUsd !== undefined && spentUsd >= limit.hardUsd) return 'hard';
  if (limit.softUsd !== undefined && spentUsd >= limit.softUsd) return 'soft';
  return 'ok';
}

/** The UTC period holding `at`: its start and its end (the next period's start). */
export function budgetPeriodOf(period: BudgetPeriod, at: Date): { start: Date; end: Date } {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  if (period === 'month')
    return { start: new Date(Date.UTC(year, month, 1)), end: new Date(Date.UTC(year, month + 1, 1)) };
  const day = at.getUTCDate();
  return { start: new Date(Date.UTC(year, month, day)), end: new Date(Date.UTC(year, month, day + 1)) };
}

/** The worst of several standings, as a check: at a hard cap, `refuse` before `cheap-only`. */
export function budgetCheckOf(standings: readonly BudgetStanding[]): BudgetCheck {
  const rank = (standing: BudgetStanding) =>
    standing.state === 'hard' ? (standing.limit.action === 'refuse' ? 3 : 2) : standing.state === 'soft' ? 1 : 0;
  const deciding = [...standings].sort((left, right) => rank(right) - rank(left))[0];
  if (!deciding) return { state: 'none' };
  return {
    state: deciding.state,
    deciding,
    ...(deciding.state === 'hard' ? { action: deciding.limit.action } : {}),
  };
}

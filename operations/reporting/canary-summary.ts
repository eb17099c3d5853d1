import { canaryResults, type CanaryResult } from '../../contracts/cascade/canary';
import { wilsonInterval, type WilsonInterval } from './wilson-interval';

/** A finished canary as reports read it back. */
export interface CanaryRecord {
  route: string;
  result: CanaryResult;
  costUsd: number;
  closedAt: Date;
}

/** What the canaries of one route found. */
export interface CanarySummary {
  route: string;
  /** Canaries that compared the two answers: agreed plus disagreed. */
  compared: number;
  agreed: number;
  disagreed: number;
  /** Canaries not run because the route's daily canary budget was spent. */
  skippedBudget: number;
  /** Canaries whose flagship call gave no answer. */
  failed: number;
  /** The canaries' spend, apart from the cascades' cost. */
  costUsd: number;
  /** Agreement among the compared canaries, with its 95% Wilson interval. */
  agreement: WilsonInterval;
}

/** The canaries' findings per route, routes by name. */
export function summarizeCanaries(records: readonly CanaryRecord[]): CanarySummary[] {
  const byRoute = new Map<string, CanaryRecord[]>();
  for (const record of records) byRoute.set(record.route, [...(byRoute.get(record.route) ?? []), record]);
  return [...byRoute.entries()]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([route, canaries]) => {
      const count = (result: CanaryResult) => canaries.filter((canary) => canary.result === result).length;
      const agreed = count('agreed');
      const disagreed = count('disagreed');
      return {
        route,
        compared: agreed + disagreed,
        agreed,
        disagreed,
        skippedBudget: count('skipped_budget'),
        failed: count('failed'),
        costUsd: canaries.reduce((total, canary) => total + canary.costUsd, 0),
        agreement: wilsonInterval(agreed, agreed + disagreed),
      };
    });
}

export function isCanaryResult(value: string | undefined): value is CanaryResult {
  return (canaryResults as readonly string[]).includes(value ?? '');
}

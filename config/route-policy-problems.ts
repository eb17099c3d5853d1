import type { RoutePolicy } from '../contracts/cascade/route-policy';
import { gateSignalNeedsProblem } from './check-gate-signal-needs';
import { policyLimitProblems, type PolicyLimits } from './policy-limits';

/**
 * What is wrong with a resolved policy beyond its schema, as the routes file is checked: retry intervals
 * out of order, values above the limits, gates whose signals the cheap model does not give. The same
 * checks run on a policy a starter puts into workflow input. Each problem starts with the field it is
 * about, below the policy (`cheap.retry.maximumAttempts is 37, …`).
 */
export function routePolicyProblems(options: {
  policy: RoutePolicy;
  limits: PolicyLimits;
  /** The name of the cheap model under `models`, for the messages. */
  cheapModelName?: string;
}): string[] {
  const { policy } = options;
  const problems: string[] = [];
  for (const tier of ['cheap', 'flagship'] as const) {
    if (policy[tier].retry.initialIntervalMs > policy[tier].retry.maximumIntervalMs)
      problems.push(`${tier}.retry.initialInterval must not exceed ${tier}.retry.maximumInterval`);
  }
  problems.push(...policyLimitProblems(policy, options.limits));
  const signalProblem = gateSignalNeedsProblem({ policy, cheapModelName: options.cheapModelName });
  if (signalProblem) problems.push(signalProblem);
  return problems;
}

import { tierModels, type RoutePolicy } from '../contracts/cascade/route-policy';
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
  /** The names of the cheap tier's models under `models`, in order (`undefined` for one written out), for the messages. */
  cheapModelNames?: Array<string | undefined>;
}): string[] {
  const { policy } = options;
  const problems: string[] = [];
  for (const tier of ['cheap', 'flagship'] as const) {
    if (policy[tier].retry.initialIntervalMs > policy[tier].retry.maximumIntervalMs)
      problems.push(`${tier}.retry.initialInterval must not exceed ${tier}.retry.maximumInterval`);
  }
  problems.push(...policyLimitProblems(policy, options.limits));
  // Every model of the cheap tier may answer, so each must give the signals the gate reads.
  tierModels(policy.cheap).forEach((model, index) => {
    const signalProblem = gateSignalNeedsProblem({
      policy,
      model,
      modelField:
        options.cheapModelNames?.[index] !== undefined
          ? `models.${options.cheapModelNames[index]}`
          : policy.cheap.fallbackModels
            ? `routes.${policy.route}.cheap.models.${index}`
            : `routes.${policy.route}.cheap.model`,
    });
    if (signalProblem) problems.push(signalProblem);
  });
  return problems;
}

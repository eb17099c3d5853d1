import { isDeepStrictEqual } from 'node:util';
import { gateSignalNeeds } from '../contracts/cascade/gate-signals';
import type { ModelSpec, RoutePolicy } from '../contracts/cascade/route-policy';
import { pricingOf, type RouteCatalog } from '../config/route-catalog';
import { routePolicyProblems } from '../config/route-policy-problems';
import { gatePatternProblems } from '../gates/gate-pattern-problems';
import { preRoutingProblems } from '../operations/traffic/pre-routing';
import { priceUsage } from '../models/pricing/price-usage';

const probeUsage = {
  inputTokens: 1_000,
  outputTokens: 1_000,
  cachedInputTokens: undefined,
  reasoningTokens: undefined,
};

/**
 * Why a policy that a starter put into workflow input (an evaluation run's, say) may not run on this
 * worker; empty when it may. It must be for the route it names, which this worker has, and pass the
 * checks of a routes file (`routePolicyProblems`: the worker's limits included); each of its models must
 * call an endpoint with a key variable the worker's configuration pairs (as `callModel` checks too), and
 * be priced as the worker's configuration prices that model, or, for a model the configuration lacks, by
 * the price table: a starter cannot set prices, so billing cannot be talked down.
 */
export function suppliedPolicyProblems(options: {
  route: string;
  policy: RoutePolicy;
  routes: RouteCatalog;
  /** Let a model that nothing prices run at cost 0 (an evaluation's own worker). @default false */
  acceptUnpricedModels?: boolean;
}): string[] {
  const { policy, routes } = options;
  const problems: string[] = [];
  if (policy.route !== options.route)
    problems.push(`route: the policy is for "${policy.route}", the request names "${options.route}"`);
  problems.push(...routePolicyProblems({ policy, limits: routes.limits }));
  problems.push(...gatePatternProblems(policy.gate));
  problems.push(...preRoutingProblems(policy));
  // A canary spends on the flagship: only the route's own, as this worker's configuration has it.
  if (policy.canary !== undefined && routes.names().includes(policy.route)) {
    const own = routes.get(policy.route).canary;
    if (!isDeepStrictEqual(policy.canary, own))
      problems.push(
        `canary: must be the route's own (${own ? JSON.stringify(own) : 'none'}), not ${JSON.stringify(policy.canary)}`,
      );
  }
  const models: Array<[string, ModelSpec]> = [
    ['cheap.model', policy.cheap.model],
    ...(policy.cheap.fallbackModels ?? []).map((spec, index): [string, ModelSpec] => [
      `cheap.fallbackModels.${index}`,
      spec,
    ]),
    ['flagship.model', policy.flagship.model],
    ...(policy.flagship.fallbackModels ?? []).map((spec, index): [string, ModelSpec] => [
      `flagship.fallbackModels.${index}`,
      spec,
    ]),
    ...gateSignalNeeds(policy.gate).judges.flatMap((judge, index): Array<[string, ModelSpec]> =>
      typeof judge.model === 'string' ? [] : [[`gate (judge ${index + 1}).model`, judge.model]],
    ),
  ];
  for (const [field, spec] of models) {
    if (!routes.allowsCredentialBinding(spec)) {
      problems.push(
        `${field}: provider ${spec.provider}${spec.baseUrl ? ` at ${spec.baseUrl}` : ''} with key variable ${spec.apiKeyEnv ?? '(none)'} is not in this worker's configuration`,
      );
    }
    const problem = pricingProblem(spec, routes, options.acceptUnpricedModels ?? false);
    if (problem) problems.push(`${field}: ${problem}`);
  }
  return problems;
}

function pricingProblem(spec: ModelSpec, routes: RouteCatalog, acceptUnpriced: boolean): string | undefined {
  const pricing = pricingOf(spec);
  const configured = routes.pricingsOf(spec);
  if (configured.length > 0) {
    if (configured.some((entry) => isDeepStrictEqual(withoutUndefined(entry), withoutUndefined(pricing))))
      return undefined;
    return `${spec.model} must be priced as this worker's configuration prices it (${JSON.stringify(withoutUndefined(configured[0]!))}), not ${JSON.stringify(withoutUndefined(pricing))}`;
  }
  if (pricing.price !== undefined || pricing.priceModel !== undefined || pricing.priceProvider !== undefined) {
    return `${spec.model} is not in this worker's configuration, so it is priced by the price table only: leave out price, priceModel and priceProvider`;
  }
  if (!acceptUnpriced && priceUsage(spec, probeUsage).source === 'unpriced') {
    return `${spec.model} is neither in this worker's configuration nor in the price table, so its calls could not be billed`;
  }
  return undefined;
}

function withoutUndefined<Value extends object>(value: Value): Partial<Value> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<Value>;
}

import type { ModelSpec, RoutePolicy } from '../../contracts/cascade/route-policy';
import { priceSourcesOf } from './price-sources';

/** The environment variable of the local model server's API key, as the demo routes name it. */
export const modelServerApiKeyVariable = 'CASCADE_MODEL_SERVER_API_KEY';

export interface RouteOverrideOptions {
  policy: RoutePolicy;
  /** A dataset model to serve the cheap tier instead of the route's. @default the route's */
  cheap?: string;
  /** A dataset model to serve the flagship tier instead of the route's. @default the route's */
  flagship?: string;
  /** The local model server's base URL (`http://host:port/v1`), which replays the dataset. */
  modelServerUrl: string;
  /**
   * The configuration's `models` entries: a replaced tier takes the `price` of the entry whose `model`
   * is the dataset model, when there is one.
   */
  configuredModels: readonly ModelSpec[];
}

/**
 * The route with its tier models replaced by dataset models served by the local model server
 * (`provider: openai`, the server's URL, key variable `CASCADE_MODEL_SERVER_API_KEY`, log-probabilities
 * on). A worker calls only the endpoint and key pairs of its own routes; the demo routes already pair the
 * model server's URL with that key, so a worker started on them accepts the replaced models.
 *
 * A replaced model is priced by a configured `price` of the same model id, else by the price table;
 * one that neither knows costs 0 (see `unpricedModels`).
 */
export function overrideRouteModels(options: RouteOverrideOptions): RoutePolicy {
  const replace = (model: string | undefined, current: ModelSpec): ModelSpec => {
    if (model === undefined) return current;
    const price = options.configuredModels.find((spec) => spec.model === model && spec.price !== undefined)?.price;
    return {
      provider: 'openai',
      model,
      baseUrl: options.modelServerUrl,
      apiKeyEnv: modelServerApiKeyVariable,
      logprobs: true,
      ...(price ? { price } : {}),
    };
  };
  // An evaluation measures the cascade; a canary would add flagship calls to the run and spend the route's budget.
  const { canary: _canary, ...policy } = options.policy;
  return {
    ...policy,
    cheap: { ...options.policy.cheap, model: replace(options.cheap, options.policy.cheap.model) },
    flagship: { ...options.policy.flagship, model: replace(options.flagship, options.policy.flagship.model) },
  };
}

/** The tier models of a policy that neither a `price` nor the price table prices: their calls report cost 0. */
export function unpricedModels(policy: RoutePolicy): string[] {
  return [
    ...new Set(
      priceSourcesOf(policy)
        .filter((entry) => entry.source === 'unpriced')
        .map((entry) => entry.model),
    ),
  ];
}

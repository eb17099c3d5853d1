import { gateSignalNeeds } from '../contracts/cascade/gate-signals';
import { tierModels, type ModelSpec, type RoutePolicy } from '../contracts/cascade/route-policy';
import type { CircuitBreakerSettings } from './circuit-breaker-section';
import { UnknownRouteError } from './configuration-error';
import { defaultPolicyLimits, type PolicyLimits } from './policy-limits';

export interface RouteCatalogOptions {
  /** Models the file declares under `models` besides those its routes use (their prices count too). @default none */
  declaredModels?: ModelSpec[];
  /** The most a policy may ask for. @default defaultPolicyLimits */
  limits?: PolicyLimits;
  /** When workers stop calling a failing model endpoint (the `circuitBreaker` section). @default no circuit breaking */
  circuitBreaker?: CircuitBreakerSettings;
}

/** The resolved routes of a configuration, by name. */
export class RouteCatalog {
  private readonly routes: ReadonlyMap<string, RoutePolicy>;
  /** Models the file declares under `models` (used by its routes or not). */
  readonly declaredModels: readonly ModelSpec[];
  /** The most a policy may ask for, this configuration's `limits` over the defaults. */
  readonly limits: PolicyLimits;
  /** The circuit breaking of the workers serving these routes; `undefined` for none. */
  readonly circuitBreaker: CircuitBreakerSettings | undefined;

  constructor(policies: RoutePolicy[], options: RouteCatalogOptions = {}) {
    this.routes = new Map(policies.map((policy) => [policy.route, policy]));
    this.declaredModels = options.declaredModels ?? [];
    this.limits = options.limits ?? defaultPolicyLimits;
    this.circuitBreaker = options.circuitBreaker;
  }

  /** The policy of a route; throws `UnknownRouteError` for a name the configuration lacks. */
  get(route: string): RoutePolicy {
    const policy = this.routes.get(route);
    if (!policy) throw new UnknownRouteError({ route, knownRoutes: this.names() });
    return policy;
  }

  has(route: string): boolean {
    return this.routes.has(route);
  }

  names(): string[] {
    return [...this.routes.keys()];
  }

  policies(): RoutePolicy[] {
    return [...this.routes.values()];
  }

  /** Every model any route uses, once each (by provider, base URL and model id). */
  models(): ModelSpec[] {
    const unique = new Map<string, ModelSpec>();
    for (const policy of this.routes.values()) {
      const judgeModels = gateSignalNeeds(policy.gate).judges.flatMap((judge) =>
        typeof judge.model === 'string' ? [] : [judge.model],
      );
      for (const spec of [...tierModels(policy.cheap), ...tierModels(policy.flagship), ...judgeModels]) {
        unique.set(`${credentialBindingOf(spec)} ${spec.model}`, spec);
      }
    }
    return [...unique.values()];
  }

  /**
   * How this configuration prices a model of this provider and id, for every entry it has of it (routes'
   * models and declared ones): its `price` override and price-table lookup fields. Empty when the
   * configuration does not have the model.
   */
  pricingsOf(spec: Pick<ModelSpec, 'provider' | 'model'>): ModelPricing[] {
    return [...this.models(), ...this.declaredModels]
      .filter((entry) => entry.provider === spec.provider && entry.model === spec.model)
      .map(pricingOf);
  }

  /** Whether some configured model sends the same API key variable to the same endpoint. */
  allowsCredentialBinding(spec: ModelSpec): boolean {
    this.credentialBindings ??= new Set(this.models().map(credentialBindingOf));
    return this.credentialBindings.has(credentialBindingOf(spec));
  }

  private credentialBindings: Set<string> | undefined;
}

/** What decides a model's price: an override, or where the price table is looked up. */
export type ModelPricing = Pick<ModelSpec, 'price' | 'priceModel' | 'priceProvider'>;

export function pricingOf(spec: ModelSpec): ModelPricing {
  return { price: spec.price, priceModel: spec.priceModel, priceProvider: spec.priceProvider };
}

/** Which key goes to which endpoint: what a policy from outside must not change. */
function credentialBindingOf(spec: ModelSpec): string {
  return JSON.stringify([spec.provider, spec.baseUrl ?? null, spec.apiKeyEnv ?? null]);
}

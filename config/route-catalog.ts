import { gateSignalNeeds } from '../contracts/cascade/gate-signals';
import type { ModelSpec, RoutePolicy } from '../contracts/cascade/route-policy';
import { UnknownRouteError } from './configuration-error';

/** The resolved routes of a configuration, by name. */
export class RouteCatalog {
  private readonly routes: ReadonlyMap<string, RoutePolicy>;

  constructor(policies: RoutePolicy[]) {
    this.routes = new Map(policies.map((policy) => [policy.route, policy]));
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
      for (const spec of [policy.cheap.model, policy.flagship.model, ...judgeModels]) {
        unique.set(`${credentialBindingOf(spec)} ${spec.model}`, spec);
      }
    }
    return [...unique.values()];
  }

  /** Whether some configured model sends the same API key variable to the same endpoint. */
  allowsCredentialBinding(spec: ModelSpec): boolean {
    this.credentialBindings ??= new Set(this.models().map(credentialBindingOf));
    return this.credentialBindings.has(credentialBindingOf(spec));
  }

  private credentialBindings: Set<string> | undefined;
}

/** Which key goes to which endpoint: what a policy from outside must not change. */
function credentialBindingOf(spec: ModelSpec): string {
  return JSON.stringify([spec.provider, spec.baseUrl ?? null, spec.apiKeyEnv ?? null]);
}

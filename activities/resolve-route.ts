import type { RoutePolicy } from '../contracts/cascade/route-policy';
import { CascadeError } from '../contracts/cascade-error';
import { requestSizeProblem } from '../contracts/cascade/message-text-problems';
import { failureTypes } from '../contracts/failure-types';
import { toApplicationFailure } from '../contracts/to-application-failure';
import { UnknownRouteError } from '../config/configuration-error';
import { PolicyRejectedError } from '../config/policy-rejected-error';
import type { RouteCatalog } from '../config/route-catalog';
import { suppliedPolicyProblems } from './supplied-policy-problems';

export interface ResolveRouteInput {
  route: string;
  /** A policy the starter put into the workflow input; run only if this worker's configuration allows it. */
  policy?: RoutePolicy;
  /** The UTF-8 bytes of the request's message text, held to `limits.maximumRequestBytes`. */
  requestBytes?: number;
}

/**
 * Builds the `resolveRoute` local activity: the worker's configuration resolves the route, and the
 * recorded result shows in the history which policy ran. A policy from the input is checked against
 * the same configuration (`suppliedPolicyProblems`) and runs only when it passes.
 */
export function createResolveRoute(dependencies: { routes: RouteCatalog; acceptUnpricedModels?: boolean }) {
  return async function resolveRoute(input: ResolveRouteInput): Promise<RoutePolicy> {
    try {
      const configured = dependencies.routes.get(input.route);
      const sizeProblem =
        input.requestBytes === undefined
          ? undefined
          : requestSizeProblem(input.requestBytes, dependencies.routes.limits.maximumRequestBytes);
      if (sizeProblem) {
        throw toApplicationFailure(
          new CascadeError({ type: failureTypes.invalidRequest, message: `invalid cascade request: ${sizeProblem}` }),
        );
      }
      if (!input.policy) return configured;
      const problems = suppliedPolicyProblems({
        route: input.route,
        policy: input.policy,
        routes: dependencies.routes,
        acceptUnpricedModels: dependencies.acceptUnpricedModels,
      });
      if (problems.length > 0) throw new PolicyRejectedError({ route: input.route, problems });
      return input.policy;
    } catch (error) {
      if (UnknownRouteError.isInstance(error))
        throw toApplicationFailure(error, { addDetails: { knownRoutes: error.knownRoutes } });
      if (PolicyRejectedError.isInstance(error)) throw toApplicationFailure(error);
      throw error;
    }
  };
}

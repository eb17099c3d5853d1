import type { RoutePolicy } from '../contracts/cascade/route-policy';
import { toApplicationFailure } from '../contracts/to-application-failure';
import { UnknownRouteError } from '../config/configuration-error';
import type { RouteCatalog } from '../config/route-catalog';

/**
 * Builds the `resolveRoute` local activity, used when a starter gives only a route name: the worker's
 * configuration resolves it, and the recorded result shows in the history which policy ran.
 */
export function createResolveRoute(dependencies: { routes: RouteCatalog }) {
  return async function resolveRoute(input: { route: string }): Promise<RoutePolicy> {
    try {
      return dependencies.routes.get(input.route);
    } catch (error) {
      if (UnknownRouteError.isInstance(error))
        throw toApplicationFailure(error, { addDetails: { knownRoutes: error.knownRoutes } });
      throw error;
    }
  };
}

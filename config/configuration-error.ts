import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';

/** The routes configuration is missing, unreadable or invalid. The message names the file and the field. */
export class ConfigurationError extends CascadeError {
  declare readonly type: typeof failureTypes.invalidConfiguration;
  override readonly name = 'ConfigurationError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: failureTypes.invalidConfiguration });
  }
}

/** A request names a route that the configuration does not have. */
export class UnknownRouteError extends CascadeError {
  declare readonly type: typeof failureTypes.unknownRoute;
  override readonly name = 'UnknownRouteError';
  readonly route: string;
  readonly knownRoutes: string[];

  constructor(options: { route: string; knownRoutes: string[] }) {
    super({
      type: failureTypes.unknownRoute,
      message: `unknown route "${options.route}"; the configuration has: ${options.knownRoutes.join(', ') || '(none)'}`,
    });
    this.route = options.route;
    this.knownRoutes = options.knownRoutes;
  }
}

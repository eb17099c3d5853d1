import { failureTypes } from '../common/failure-types';

/** The routes configuration is missing, unreadable or invalid. The message names the file and the field. */
export class ConfigurationError extends Error {
  readonly type = failureTypes.invalidConfiguration;
  override readonly name = 'ConfigurationError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A request names a route that the configuration does not have. */
export class UnknownRouteError extends Error {
  readonly type = failureTypes.unknownRoute;
  override readonly name = 'UnknownRouteError';

  constructor(
    readonly route: string,
    readonly knownRoutes: string[],
  ) {
    super(`unknown route "${route}"; the configuration has: ${knownRoutes.join(', ') || '(none)'}`);
  }
}

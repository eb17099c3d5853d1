import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { resolveApiSettings, type ApiSettings } from './api-section';
import { describeIssues } from '../contracts/cascade/cascade-request';
import { configFileSchema, type ConfigFile } from './config-file-schema';
import { ConfigurationError } from './configuration-error';
import { interpolateEnvironment } from './interpolate-environment';
import { resolveRoutes } from './resolve-routes';
import { resolvePolicyLimits } from './policy-limits';
import { resolveCircuitBreakerSettings } from './circuit-breaker-section';
import { RouteCatalog } from './route-catalog';

export interface ParseConfigOptions {
  /** Where the text came from, for error messages. @default '(inline)' */
  source?: string;
  /** Values for `${NAME}` and `${NAME:-default}` in string fields. @default {} */
  environment?: Record<string, string | undefined>;
}

/**
 * Parses a routes file (YAML or JSON) into a catalog of resolved route policies. Throws a
 * `ConfigurationError` whose message names the source and each bad field.
 */
export function parseConfig(text: string, options: ParseConfigOptions = {}): RouteCatalog {
  return catalogOf(parseConfigFile(text, options), options.source ?? '(inline)');
}

/**
 * The routes file as written, `${NAME}` expanded and checked against the schema, before its routes are
 * resolved. Throws a `ConfigurationError` whose message names the source and each bad field.
 */
export function parseConfigFile(text: string, options: ParseConfigOptions = {}): ConfigFile {
  const source = options.source ?? '(inline)';
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigurationError({
      message: `${source}: not valid YAML or JSON: ${(error as Error).message}`,
      cause: error,
    });
  }
  if (document === null || typeof document !== 'object') {
    throw new ConfigurationError({ message: `${source}: must hold an object with a "routes" key` });
  }
  const interpolated = interpolateEnvironment(document, { environment: options.environment ?? {}, source });
  const parsed = configFileSchema.safeParse(interpolated);
  if (!parsed.success) {
    throw new ConfigurationError({ message: `${source}: ${describeIssues(parsed.error)}` });
  }
  return parsed.data;
}

export interface LoadConfigOptions {
  /** Path of the routes file. */
  path: string;
  /** @default process.env */
  environment?: Record<string, string | undefined>;
}

/** Reads and parses a routes file. */
export function loadConfig(options: LoadConfigOptions): RouteCatalog {
  return catalogOf(loadConfigFile(options), options.path);
}

/** The catalog of a routes file read by `loadConfigFile` or `parseConfigFile`. */
export function catalogOf(file: ConfigFile, source: string): RouteCatalog {
  return new RouteCatalog(resolveRoutes(file, { source }), {
    declaredModels: Object.values(file.models ?? {}),
    limits: resolvePolicyLimits(file.limits),
    circuitBreaker: resolveCircuitBreakerSettings(file.circuitBreaker),
  });
}

/** Reads a routes file and parses it as `parseConfigFile` does: as written, its routes not yet resolved. */
export function loadConfigFile(options: LoadConfigOptions): ConfigFile {
  let text: string;
  try {
    text = readFileSync(options.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigurationError({ message: `cannot read the routes file ${options.path}: ${why}`, cause: error });
  }
  return parseConfigFile(text, { source: options.path, environment: options.environment ?? process.env });
}

/** A routes file's catalog and its `api` section's settings (`cascade serve`), each `keyEnv` read from `environment`. */
export function loadServeConfig(options: LoadConfigOptions): { routes: RouteCatalog; api: ApiSettings } {
  const file = loadConfigFile(options);
  const routes = catalogOf(file, options.path);
  const api = resolveApiSettings(file.api, {
    environment: options.environment ?? process.env,
    routeNames: routes.names(),
    source: options.path,
  });
  return { routes, api };
}

import { ConfigurationError } from './configuration-error';

const placeholder = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of a parsed document. A variable that is
 * unset and has no default is an error naming the field, so a typo does not become an empty URL.
 */
export function interpolateEnvironment(
  value: unknown,
  options: { environment: Record<string, string | undefined>; source: string; path?: string },
): unknown {
  const path = options.path ?? '';
  if (typeof value === 'string') {
    return value.replace(placeholder, (_match, name: string, fallback: string | undefined) => {
      const found = options.environment[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      throw new ConfigurationError({
        message: `${options.source}: ${path || '(root)'}: environment variable ${name} is not set and has no default`,
      });
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolateEnvironment(item, { ...options, path: `${path}.${index}` }));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        interpolateEnvironment(item, { ...options, path: path ? `${path}.${key}` : key }),
      ]),
    );
  }
  return value;
}

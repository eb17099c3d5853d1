import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ModelSpec } from '../../contracts/cascade/route-policy';
import { configFileSchema } from '../../config/config-file-schema';
import { interpolateEnvironment } from '../../config/interpolate-environment';

/**
 * The `models` entries of a routes file, for pricing models an evaluation swaps in. Read after
 * `loadConfig` has accepted the file, so it reports no errors of its own beyond the schema's.
 */
export function loadConfiguredModels(options: {
  path: string;
  environment?: Record<string, string | undefined>;
}): ModelSpec[] {
  const document: unknown = parseYaml(readFileSync(options.path, 'utf8'));
  const interpolated = interpolateEnvironment(document, {
    environment: options.environment ?? process.env,
    source: options.path,
  });
  return Object.values(configFileSchema.parse(interpolated).models ?? {});
}

import type { ModelSpec } from '../../contracts/cascade/route-policy';
import { loadConfigFile } from '../../config/load-config';

/**
 * The `models` entries of a routes file, for pricing models an evaluation swaps in. Read after
 * `loadConfig` has accepted the file, so it reports no errors of its own beyond the schema's.
 */
export function loadConfiguredModels(options: {
  path: string;
  environment?: Record<string, string | undefined>;
}): ModelSpec[] {
  return Object.values(loadConfigFile(options).models ?? {});
}

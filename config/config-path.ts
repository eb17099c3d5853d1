import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The routes file of a command: `--config`, else `CASCADE_CONFIG`, else `./cascade.config.yaml` when it exists. */
export function resolveConfigPath(
  option: string | undefined,
  environment: Record<string, string | undefined> = process.env,
): string | undefined {
  const named = option ?? environment.CASCADE_CONFIG;
  if (named) return resolve(named);
  const conventional = resolve('cascade.config.yaml');
  return existsSync(conventional) ? conventional : undefined;
}

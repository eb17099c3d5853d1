import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationError } from './configuration-error';

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

/** `resolveConfigPath`, for a command that cannot run without a routes file: throws a `ConfigurationError` saying how to give one. */
export function requireConfigPath(
  option: string | undefined,
  environment: Record<string, string | undefined> = process.env,
): string {
  const path = resolveConfigPath(option, environment);
  if (!path)
    throw new ConfigurationError({
      message: 'no routes file: pass --config FILE, set CASCADE_CONFIG, or create ./cascade.config.yaml',
    });
  return path;
}

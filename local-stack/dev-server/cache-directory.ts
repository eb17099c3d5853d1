import { homedir } from 'node:os';
import { join } from 'node:path';

/** The Temporal CLI release built with `go install` (the last one whose go.mod has no `replace`). */
export const pinnedTemporalCliVersion = 'v1.5.1';

/**
 * Where temporal-cascade keeps what it builds and runs locally: `TEMPORAL_CASCADE_CACHE` if set, else
 * `${XDG_CACHE_HOME:-$HOME/.cache}/temporal-cascade`.
 */
export function resolveCacheDirectory(environment: NodeJS.ProcessEnv): string {
  if (environment.TEMPORAL_CASCADE_CACHE) return environment.TEMPORAL_CASCADE_CACHE;
  const cacheHome = environment.XDG_CACHE_HOME || join(environment.HOME || homedir(), '.cache');
  return join(cacheHome, 'temporal-cascade');
}

/** Paths inside the cache directory. */
export function cachePaths(cacheDirectory: string) {
  const cliDirectory = join(cacheDirectory, `temporal-cli-${pinnedTemporalCliVersion}`);
  return {
    cliDirectory,
    cliBinary: join(cliDirectory, 'temporal'),
    buildLock: join(cacheDirectory, `temporal-cli-${pinnedTemporalCliVersion}.lock`),
    devServerDirectory: join(cacheDirectory, 'dev-server'),
    /** One SQLite file per gRPC port: two dev servers must never share one. */
    devServerDatabase: (port: number) => join(cacheDirectory, 'dev-server', `temporal-${port}.sqlite`),
  };
}

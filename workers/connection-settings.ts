import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';

export interface ConnectionSettings {
  connectionOptions: NativeConnectionOptions;
  namespace: string;
}

/**
 * Connection settings in Temporal's own conventions: `TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`,
 * `TEMPORAL_API_KEY` (Temporal Cloud), `TEMPORAL_TLS*` (client certificate, key, CA, server name),
 * `TEMPORAL_PROFILE` and `TEMPORAL_CONFIG_FILE` (a TOML profile, as the `temporal` CLI uses).
 * Explicit values win over the environment.
 */
export function connectionSettings(
  options: { address?: string; namespace?: string; environment?: Record<string, string | undefined> } = {},
): ConnectionSettings {
  const environment = Object.fromEntries(
    Object.entries(options.environment ?? process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  const loaded = loadClientConnectConfig({ overrideEnvVars: environment });
  return {
    connectionOptions: {
      ...loaded.connectionOptions,
      address: options.address ?? loaded.connectionOptions.address ?? 'localhost:7233',
    },
    namespace: options.namespace ?? loaded.namespace ?? 'default',
  };
}

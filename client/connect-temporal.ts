import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { dataConverterFromEnvironment } from '../codec/payload-codecs';
import type { CascadeTracing } from '../operations/tracing/cascade-tracing';
import { connectionSettings } from '../workers/connection-settings';

/**
 * A Temporal client in Temporal's environment conventions (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, TLS, API
 * key), with the payload codecs of `CASCADE_ENCRYPTION_KEYS` and `CASCADE_PAYLOAD_COMPRESSION`
 * (`dataConverterFromEnvironment`); explicit values win. With `tracing`, each start, query and signal is a
 * span whose context the workflow continues (see `tracingFromEnvironment`).
 */
export async function connectTemporalClient(
  options: { address?: string; namespace?: string; dataConverter?: DataConverter; tracing?: CascadeTracing } = {},
): Promise<Client> {
  const dataConverter = options.dataConverter ?? dataConverterFromEnvironment();
  const settings = connectionSettings({ address: options.address, namespace: options.namespace });
  const { address, tls, apiKey, metadata } = settings.connectionOptions;
  const connection = await Connection.connect({ address, tls, apiKey, metadata });
  return new Client({
    connection,
    namespace: settings.namespace,
    dataConverter,
    ...(options.tracing ? { plugins: [options.tracing.plugin] } : {}),
  });
}

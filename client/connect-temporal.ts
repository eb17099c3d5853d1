import { Client, Connection } from '@temporalio/client';
import { connectionSettings } from '../workers/connection-settings';

/** A Temporal client in Temporal's environment conventions (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, TLS, API key); explicit values win. */
export async function connectTemporalClient(options: { address?: string; namespace?: string } = {}): Promise<Client> {
  const settings = connectionSettings({ address: options.address, namespace: options.namespace });
  const { address, tls, apiKey, metadata } = settings.connectionOptions;
  const connection = await Connection.connect({ address, tls, apiKey, metadata });
  return new Client({ connection, namespace: settings.namespace });
}

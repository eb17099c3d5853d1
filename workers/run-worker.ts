import { NativeConnection } from '@temporalio/worker';
import type pino from 'pino';
import type { RouteCatalog } from '../config/route-catalog';
import { connectionSettings } from './connection-settings';
import { ledgerFromEnvironment } from '../operations/ledger/ledger-from-environment';
import { createCascadeWorker, type CascadeWorkerOptions } from './create-worker';
import { installRuntime } from './install-runtime';

export interface RunWorkerOptions extends Omit<CascadeWorkerOptions, 'connection' | 'namespace' | 'routes' | 'logger'> {
  routes: RouteCatalog;
  logger: pino.Logger;
  /** Overrides `TEMPORAL_ADDRESS`. */
  address?: string;
  /** Overrides `TEMPORAL_NAMESPACE`. */
  namespace?: string;
}

/**
 * Connects, serves the cascade task queue until SIGINT or SIGTERM, then drains: calls in flight get
 * the shutdown grace time to finish, and whatever does not finish is retried by another worker.
 */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  installRuntime(options.logger);
  const settings = connectionSettings({ address: options.address, namespace: options.namespace });
  // The cost ledger of CASCADE_LEDGER_URL, checked (and its table created) before any task is taken.
  const ledger = options.ledger ?? ledgerFromEnvironment(options.environment ?? process.env);
  await ledger?.ensureSchema?.();
  const connection = await NativeConnection.connect(settings.connectionOptions);
  try {
    const worker = await createCascadeWorker({
      ...options,
      ledger,
      connection,
      namespace: settings.namespace,
      logger: options.logger,
    });
    options.logger.info(
      {
        address: settings.connectionOptions.address,
        namespace: settings.namespace,
        taskQueue: worker.options.taskQueue,
        routes: options.routes.names(),
      },
      'cascade worker started',
    );
    await worker.run();
    options.logger.info('cascade worker stopped');
  } finally {
    await connection.close();
    if (!options.ledger) await ledger?.close();
  }
}

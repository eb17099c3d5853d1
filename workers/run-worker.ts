import { NativeConnection } from '@temporalio/worker';
import type pino from 'pino';
import type { RouteCatalog } from '../config/route-catalog';
import { connectionSettings } from './connection-settings';
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
  const connection = await NativeConnection.connect(settings.connectionOptions);
  try {
    const worker = await createCascadeWorker({ ...options, connection, namespace: settings.namespace, logger: options.logger });
    options.logger.info(
      { address: settings.connectionOptions.address, namespace: settings.namespace, taskQueue: worker.options.taskQueue, routes: options.routes.names() },
      'cascade worker started',
    );
    await worker.run();
    options.logger.info('cascade worker stopped');
  } finally {
    await connection.close();
  }
}

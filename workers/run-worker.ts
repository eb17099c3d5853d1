import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type pino from 'pino';
import type { RouteCatalog } from '../config/route-catalog';
import { connectionSettings } from './connection-settings';
import { ledgerFromEnvironment } from '../operations/ledger/ledger-from-environment';
import { createCascadeWorker, type CascadeWorkerOptions } from './create-worker';
import { describeForeignPollers, findForeignPollers } from './foreign-pollers';
import { installRuntime } from './install-runtime';
import { startLedgerCatchUp } from './ledger-catch-up';
import { startWorkerHealth } from './worker-health';
import { startMetricsServer } from './metrics-server';
import { CascadeMetrics } from '../operations/metrics/cascade-metrics';
import { pickFreePort } from '../http/free-port';
import { dataConverterFromEnvironment } from '../codec/payload-codecs';
import { durationSchema } from '../config/duration-schema';
import { ConfigurationError } from '../config/configuration-error';
import { routesFingerprint } from './worker-identity';
import { tracingFromEnvironment } from '../operations/tracing/cascade-tracing';

export interface RunWorkerOptions extends Omit<CascadeWorkerOptions, 'connection' | 'namespace' | 'routes' | 'logger'> {
  routes: RouteCatalog;
  logger: pino.Logger;
  /** Overrides `TEMPORAL_ADDRESS`. */
  address?: string;
  /** Overrides `TEMPORAL_NAMESPACE`. */
  namespace?: string;
  /** Serve `GET /healthz` on this port (see `startWorkerHealth`). @default no health endpoint */
  healthPort?: number;
  /**
   * Serve Prometheus metrics (`GET /metrics`: the cascades' and the Core SDK's) on this port. The
   * environment's `CASCADE_METRICS_CUSTOMER_LIMIT` labels them by customer, for that many customers at most.
   * @default no metrics
   */
  metricsPort?: number;
}

/**
 * Connects, serves the cascade task queue until SIGINT or SIGTERM, then drains: calls in flight get
 * the shutdown grace time to finish, and whatever does not finish is retried by another worker.
 */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const environment = options.environment ?? process.env;
  const metrics =
    options.metricsPort === undefined
      ? undefined
      : (options.metrics ??
        new CascadeMetrics({
          routeNames: options.routes.names(),
          customerLabelLimit: customerLabelLimitOf(environment),
        }));
  const { runtimeMetricsUrl } = installRuntime(options.logger, {
    runtimeMetricsAddress: metrics ? `127.0.0.1:${await pickFreePort()}` : undefined,
  });
  const settings = connectionSettings({ address: options.address, namespace: options.namespace });
  // Spans go by OTLP when the standard OTEL_EXPORTER_OTLP_* variables name an endpoint.
  const tracing = options.tracing ?? tracingFromEnvironment(environment, { serviceName: 'temporal-cascade-worker' });
  // The cost ledger of CASCADE_LEDGER_URL, checked (and its table created) before any task is taken.
  const ledger = options.ledger ?? ledgerFromEnvironment(environment);
  await ledger?.ensureSchema?.();
  const catchUpTimes = ledger ? ledgerCatchUpTimes(environment) : undefined;
  const connection = await NativeConnection.connect(settings.connectionOptions);
  try {
    const worker = await createCascadeWorker({
      ...options,
      ledger,
      metrics,
      tracing,
      connection,
      namespace: settings.namespace,
      logger: options.logger,
    });
    const catchUp =
      ledger && catchUpTimes
        ? startLedgerCatchUp({
            client: new Client({
              connection,
              namespace: settings.namespace,
              dataConverter: dataConverterFromEnvironment(environment),
            }),
            ledger,
            ...catchUpTimes,
            logger: options.logger,
          })
        : undefined;
    await warnOfForeignPollers({
      connection,
      namespace: settings.namespace,
      taskQueue: worker.options.taskQueue,
      routes: options.routes,
      address: settings.connectionOptions.address ?? '',
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
    const health =
      options.healthPort === undefined ? undefined : await startWorkerHealth({ worker, port: options.healthPort });
    const metricsServer =
      metrics && options.metricsPort !== undefined
        ? await startMetricsServer({ registry: metrics.registry, port: options.metricsPort, runtimeMetricsUrl })
        : undefined;
    if (metricsServer) options.logger.info({ url: `${metricsServer.origin}/metrics` }, 'Prometheus metrics served');
    try {
      await worker.run();
    } finally {
      await catchUp?.stop();
      await health?.close();
      await metricsServer?.close();
    }
    options.logger.info('cascade worker stopped');
  } finally {
    if (!options.tracing) await tracing?.shutdown();
    await connection.close();
    if (!options.ledger) await ledger?.close();
  }
}

/**
 * Workers with another routes file on the same queue resolve and call models differently: a cascade one
 * of them resolved may have its model calls taken by the other, which refuses models it does not have.
 * Said once at start, loudly; a rolling deployment shows it until the old workers are gone.
 */
async function warnOfForeignPollers(options: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  routes: RouteCatalog;
  address: string;
  logger: pino.Logger;
}): Promise<void> {
  try {
    const pollers = await findForeignPollers({
      client: new Client({ connection: options.connection, namespace: options.namespace }),
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      routesFingerprint: routesFingerprint(options.routes),
    });
    if (pollers.length > 0)
      options.logger.error(
        { pollers, routesFingerprint: routesFingerprint(options.routes) },
        describeForeignPollers({ pollers, taskQueue: options.taskQueue, address: options.address }),
      );
  } catch (error) {
    options.logger.warn({ err: error }, 'could not list the other workers of the task queue');
  }
}

/**
 * How often a worker with a ledger looks for missing cost rows, and how far back:
 * `CASCADE_LEDGER_CATCH_UP_EVERY` (@default 15m) and `CASCADE_LEDGER_CATCH_UP_WINDOW` (@default 6h).
 */
function ledgerCatchUpTimes(environment: Record<string, string | undefined>): { everyMs: number; windowMs: number } {
  const read = (name: string, fallbackMs: number): number => {
    const value = environment[name]?.trim();
    if (!value) return fallbackMs;
    const parsed = durationSchema.safeParse(value);
    if (!parsed.success || parsed.data <= 0)
      throw new ConfigurationError({
        message: `${name} must be a duration above 0 such as 15m or 6h, got ${JSON.stringify(value)}`,
      });
    return parsed.data;
  };
  return {
    everyMs: read('CASCADE_LEDGER_CATCH_UP_EVERY', 15 * 60_000),
    windowMs: read('CASCADE_LEDGER_CATCH_UP_WINDOW', 6 * 3_600_000),
  };
}

/** `CASCADE_METRICS_CUSTOMER_LIMIT`: label metrics by customer, for at most that many. @default no customer label */
export function customerLabelLimitOf(environment: Record<string, string | undefined>): number | undefined {
  const value = environment.CASCADE_METRICS_CUSTOMER_LIMIT?.trim();
  if (!value) return undefined;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new ConfigurationError({
      message: `CASCADE_METRICS_CUSTOMER_LIMIT must be a whole number from 1 to 10000, got ${JSON.stringify(value)}`,
    });
  return limit;
}

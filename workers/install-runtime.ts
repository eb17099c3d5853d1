import { Runtime } from '@temporalio/worker';
import type pino from 'pino';
import { PinoTemporalLogger } from './pino-logger';

let installed: { runtimeMetricsUrl: string | undefined } | undefined;

/**
 * Installs the SDK runtime once per process with pino as its logger. SIGINT and SIGTERM make running
 * workers stop polling, finish the tasks in hand (within their shutdown grace time) and exit. With
 * `runtimeMetricsAddress` (`127.0.0.1:PORT`), the Core SDK serves its own Prometheus metrics there
 * (`temporal_*`: polls, task latencies, slots); the answer says where, or undefined when the runtime was
 * installed earlier without them.
 */
export function installRuntime(
  logger: pino.Logger,
  options: { runtimeMetricsAddress?: string } = {},
): { runtimeMetricsUrl: string | undefined } {
  if (installed) return installed;
  const address = options.runtimeMetricsAddress;
  Runtime.install({
    logger: new PinoTemporalLogger(logger),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    ...(address ? { telemetryOptions: { metrics: { prometheus: { bindAddress: address } } } } : {}),
  });
  installed = { runtimeMetricsUrl: address ? `http://${address}/metrics` : undefined };
  return installed;
}

import { Runtime } from '@temporalio/worker';
import type pino from 'pino';
import { PinoTemporalLogger } from './pino-logger';

let installed = false;

/**
 * Installs the SDK runtime once per process with pino as its logger. SIGINT and SIGTERM make running
 * workers stop polling, finish the tasks in hand (within their shutdown grace time) and exit.
 */
export function installRuntime(logger: pino.Logger): void {
  if (installed) return;
  Runtime.install({ logger: new PinoTemporalLogger(logger), shutdownSignals: ['SIGINT', 'SIGTERM'] });
  installed = true;
}

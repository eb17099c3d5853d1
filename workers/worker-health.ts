import type { Worker } from '@temporalio/worker';
import { createHttpApp, methodNotAllowed } from '../http/http-app';
import { startHttpServer } from '../http/http-server';

/**
 * `GET /healthz` answers 200 with `{"state":"RUNNING"}` while the worker polls its task queue, and 503
 * with its state otherwise (starting, draining, stopped, failed), for a container's health check.
 */
export async function startWorkerHealth(options: {
  worker: Pick<Worker, 'getState'>;
  port: number;
  /** @default '0.0.0.0' (a container's health check reaches it from inside; publish it only if you want to) */
  host?: string;
}): Promise<{ port: number; close(): Promise<void> }> {
  const app = createHttpApp();
  app.get('/healthz', (context) => {
    const state = options.worker.getState();
    return context.json({ state }, state === 'RUNNING' ? 200 : 503);
  });
  app.all('/healthz', methodNotAllowed('GET'));
  const server = await startHttpServer({ fetch: app.fetch, host: options.host ?? '0.0.0.0', port: options.port });
  return { port: server.port, close: () => server.close() };
}

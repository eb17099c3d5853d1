import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';

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
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/healthz') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"GET /healthz only"}');
      return;
    }
    const state = options.worker.getState();
    response
      .writeHead(state === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ state }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

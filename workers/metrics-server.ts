import type { Registry } from 'prom-client';
import { createHttpApp, methodNotAllowed } from '../http/http-app';
import { startHttpServer, type RunningHttpServer } from '../http/http-server';

/**
 * `GET /metrics` in Prometheus's text format: the registry's metrics, then those of the Core SDK's own
 * exporter at `runtimeMetricsUrl` when given (one scrape for both; a runtime that does not answer is
 * left out, not an error).
 */
export async function startMetricsServer(options: {
  registry: Registry;
  port: number;
  /** @default '0.0.0.0' (Prometheus scrapes from elsewhere; the metrics hold no prompt, answer or key) */
  host?: string;
  runtimeMetricsUrl?: string;
}): Promise<RunningHttpServer> {
  const app = createHttpApp();
  app.get('/metrics', async (context) => {
    const own = await options.registry.metrics();
    const runtime = options.runtimeMetricsUrl
      ? await fetch(options.runtimeMetricsUrl, { signal: AbortSignal.timeout(2_000) }).then(
          (response) => (response.ok ? response.text() : ''),
          () => '',
        )
      : '';
    return context.body(`${own}\n${runtime}`, 200, { 'content-type': options.registry.contentType });
  });
  app.all('/metrics', methodNotAllowed('GET'));
  return startHttpServer({ fetch: app.fetch, host: options.host ?? '0.0.0.0', port: options.port });
}

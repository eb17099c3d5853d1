import type { Logger } from 'pino';
import type { CascadeClient } from '../client/cascade-client';
import type { ApiSettings } from '../config/api-section';
import { ConfigurationError } from '../config/configuration-error';
import type { RouteCatalog } from '../config/route-catalog';
import { startHttpServer, type RunningHttpServer } from '../http/http-server';
import { isLoopbackHost } from '../http/loopback-host';
import type { ApiMetrics } from './api-metrics';
import { readinessCheck } from './api-readiness';
import { createCascadeApiApp } from './cascade-api-app';

export interface CascadeApiServerOptions {
  /** A client on the cascades' task queue, with the routes. */
  cascades: CascadeClient;
  routes: RouteCatalog;
  settings: ApiSettings;
  /** The Temporal namespace, for readiness and Web UI links. @default 'default' */
  namespace?: string;
  /** The cascades' task queue, for readiness. @default 'cascade' */
  taskQueue?: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 8080 */
  port?: number;
  /** Serve HTTPS with this certificate and key (PEM). @default plain HTTP */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * Take requests without a key although no caller is configured and the host is not loopback (a
   * container whose port only a trusted network reaches). @default false: refused at start
   */
  allowUnauthenticated?: boolean;
  /** The Web UI's address, for a link to each cascade. @default no link */
  webUiUrl?: string;
  logger?: Logger;
  /** Counts requests by route, status and caller. @default none */
  metrics?: ApiMetrics;
}

/**
 * Starts the OpenAI-compatible API. With no callers in `settings`, any request is taken: allowed on a
 * loopback host (anyone on this machine may call it) or with `allowUnauthenticated`; otherwise this throws
 * a `ConfigurationError` before listening.
 */
export async function startCascadeApi(options: CascadeApiServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  if (options.settings.callers.length === 0 && !isLoopbackHost(host) && !options.allowUnauthenticated)
    throw new ConfigurationError({
      message: `the routes file's api section names no callers, so --host ${host} would take requests from anyone who can reach it: add api.callers (keys as keySha256 or keyEnv), or pass --no-auth if only a trusted network reaches it`,
    });
  const namespace = options.namespace ?? 'default';
  const app = createCascadeApiApp({
    cascades: options.cascades,
    routes: options.routes,
    settings: options.settings,
    readiness: readinessCheck({
      client: options.cascades.temporal,
      namespace,
      taskQueue: options.taskQueue ?? 'cascade',
    }),
    webUi: options.webUiUrl ? { url: options.webUiUrl, namespace } : undefined,
    logger: options.logger,
    metrics: options.metrics,
  });
  return startHttpServer({ fetch: app.fetch, host, port: options.port ?? 8080, tls: options.tls });
}

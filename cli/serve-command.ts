import { Option, type Command } from 'commander';
import { ApiMetrics } from '../api/api-metrics';
import { startCascadeApi } from '../api/cascade-api-server';
import { startMetricsServer } from '../workers/metrics-server';
import { CascadeClient } from '../client/cascade-client';
import { connectTemporalClient } from '../client/connect-temporal';
import { requireConfigPath } from '../config/config-path';
import { loadServeConfig } from '../config/load-config';
import { createLogger } from '../workers/pino-logger';
import { reportFailure } from './command-output';
import { readTlsFiles } from './tls-options';
import { parseNonNegativeInteger } from './option-parsers';
import { tracingFromEnvironment } from '../operations/tracing/cascade-tracing';

interface ServeCommandOptions {
  config?: string;
  host: string;
  port: number;
  taskQueue: string;
  address?: string;
  namespace?: string;
  auth: boolean;
  tlsCert?: string;
  tlsKey?: string;
  webUiUrl?: string;
  shutdownGrace: number;
  metricsPort?: number;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      "serve the routes as an OpenAI-compatible API (POST /v1/chat/completions, GET /v1/models, /healthz, /readyz); callers and time budget from the routes file's api section, Temporal from TEMPORAL_ADDRESS and its usual variables",
    )
    .option('-c, --config <file>', 'routes file (default: $CASCADE_CONFIG or ./cascade.config.yaml)')
    .addOption(new Option('--host <host>', 'address to listen on').env('CASCADE_API_HOST').default('127.0.0.1'))
    .addOption(
      new Option('--port <port>', 'port to listen on (0 picks a free one)')
        .argParser(parseNonNegativeInteger)
        .env('CASCADE_API_PORT')
        .default(8080),
    )
    .addOption(
      new Option('--task-queue <queue>', 'task queue of the workers').env('CASCADE_TASK_QUEUE').default('cascade'),
    )
    .option('--address <host:port>', 'Temporal address (overrides TEMPORAL_ADDRESS)')
    .option('--namespace <namespace>', 'Temporal namespace (overrides TEMPORAL_NAMESPACE)')
    .option('--no-auth', 'take requests without a key on a non-loopback host although api.callers names none')
    .addOption(new Option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)').env('CASCADE_API_TLS_CERT'))
    .addOption(new Option('--tls-key <file>', 'the private key of --tls-cert (PEM)').env('CASCADE_API_TLS_KEY'))
    .addOption(
      new Option('--web-ui-url <url>', "the Temporal Web UI's address, for a link to each cascade").env(
        'CASCADE_WEB_UI_URL',
      ),
    )
    .addOption(
      new Option(
        '--shutdown-grace <seconds>',
        'on SIGTERM or SIGINT, how long requests in progress may take to finish before they are cut (their cascades go on)',
      )
        .argParser(parseNonNegativeInteger)
        .default(10),
    )
    .addOption(
      new Option('--metrics-port <port>', 'serve Prometheus metrics of the requests on this port (GET /metrics)')
        .argParser(parseNonNegativeInteger)
        .env('CASCADE_METRICS_PORT'),
    )
    .action(async (options: ServeCommandOptions) => {
      process.exitCode = await serveCommand(options);
    });
}

async function serveCommand(options: ServeCommandOptions): Promise<number> {
  const logger = createLogger();
  try {
    const configPath = requireConfigPath(options.config);
    const tls = readTlsFiles(options);
    const { routes, api } = loadServeConfig({ path: configPath });
    // Spans go by OTLP when the standard OTEL_EXPORTER_OTLP_* variables name an endpoint.
    const tracing = tracingFromEnvironment(process.env, { serviceName: 'temporal-cascade-api' });
    const client = await connectTemporalClient({ address: options.address, namespace: options.namespace, tracing });
    const cascades = new CascadeClient({ client, routes, taskQueue: options.taskQueue });
    const metrics = options.metricsPort === undefined ? undefined : new ApiMetrics({ processMetrics: true });
    const metricsServer =
      metrics && options.metricsPort !== undefined
        ? await startMetricsServer({ registry: metrics.registry, port: options.metricsPort })
        : undefined;
    const server = await startCascadeApi({
      metrics,
      cascades,
      routes,
      settings: api,
      namespace: client.options.namespace,
      taskQueue: options.taskQueue,
      host: options.host,
      port: options.port,
      tls,
      allowUnauthenticated: !options.auth,
      webUiUrl: options.webUiUrl,
      logger,
    });
    logger.info(
      {
        address: `${server.origin}/v1`,
        routes: routes.names(),
        callers: api.callers.map((caller) => caller.name),
        taskQueue: options.taskQueue,
      },
      api.callers.length > 0
        ? 'OpenAI-compatible API listening'
        : 'OpenAI-compatible API listening without caller keys (api.callers names none)',
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    // Stop taking requests and let those in progress answer; a request cut after the grace keeps its
    // cascade, and its client gets the answer by sending it again with the same Idempotency-Key.
    await server.drain({ graceMs: options.shutdownGrace * 1000 });
    await metricsServer?.close();
    await cascades.close();
    await tracing?.shutdown();
    return 0;
  } catch (error) {
    return reportFailure(error, { json: false });
  }
}

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type pino from 'pino';
import { CascadeClient } from '../client/cascade-client';
import { Registry } from 'prom-client';
import { ApiMetrics } from '../api/api-metrics';
import { startCascadeApi } from '../api/cascade-api-server';
import { CascadeMetrics } from '../operations/metrics/cascade-metrics';
import { pickFreePort } from '../http/free-port';
import { startMetricsServer } from '../workers/metrics-server';
import { resolveApiSettings } from '../config/api-section';
import { catalogOf, loadConfigFile } from '../config/load-config';
import type { RouteCatalog } from '../config/route-catalog';
import { resolveTemporal, type ResolvedTemporal } from './dev-server/resolve-temporal';
import { createModelServer, type ModelServer } from './model-server/model-server';
import { loadScriptedModelsFile } from './model-server/scripted-models-file';
import { ledgerFromEnvironment } from '../operations/ledger/ledger-from-environment';
import { defaultTaskQueue } from '../contracts/cascade/cascade-request';
import { createCascadeWorker } from '../workers/create-worker';
import { describeForeignPollers, findForeignPollers } from '../workers/foreign-pollers';
import { routesFingerprint } from '../workers/worker-identity';
import { runInBackground } from '../workers/background-worker';
import { installRuntime } from '../workers/install-runtime';
import { packageRoot } from './dev-server/package-root';
import { createCodecServerApp } from '../codec/codec-server-app';
import { encryptionKeysFromEnvironment } from '../codec/encryption-keys';
import { codecServerCodecs } from '../codec/payload-codecs';
import { startHttpServer } from '../http/http-server';
import { startOnPreferredPort } from './preferred-port';
import { tracingFromEnvironment, type CascadeTracing } from '../operations/tracing/cascade-tracing';

const projectRoot = packageRoot();

/**
 * The files of the embedded default: demo routes, scripted models, a sample of real recorded answers, and the
 * records of how the demo routes' gates were tuned (on rows apart from the sample).
 */
export const demoFiles = {
  routes: join(projectRoot, 'local-stack', 'demo', 'routes.yaml'),
  models: join(projectRoot, 'local-stack', 'demo', 'models.yaml'),
  dataset: join(projectRoot, 'local-stack', 'demo', 'data', 'rational-cascades-sample.jsonl.gz'),
  tuningRecords: [join(projectRoot, 'local-stack', 'demo', 'data', 'exam-tuning.json')],
} as const;

export interface LocalStackOptions {
  logger: pino.Logger;
  /** The routes file. @default local-stack/demo/routes.yaml */
  configPath?: string;
  /** Scripted models of the local model server. @default local-stack/demo/models.yaml */
  modelsPath?: string;
  /** Replay datasets of the local model server. @default the demo sample */
  datasetPaths?: string[];
  /** Start no local model server (routes point at real providers). @default false */
  withoutModelServer?: boolean;
  /** @default 8787; 0 picks a free port */
  modelServerPort?: number;
  /** Replayed answers wait their recorded latency times this. @default 0.05 */
  latencyScale?: number;
  /** Dev server gRPC port. @default 7233 */
  temporalPort?: number;
  /** Dev server Web UI port. @default 8233 */
  uiPort?: number;
  /**
   * Serve the OpenAI-compatible API on loopback on this port (0 picks a free one; a taken port falls back to
   * a free one), with the routes file's `api` callers, or without keys when it names none. @default no API
   */
  apiPort?: number;
  /**
   * Serve Prometheus metrics on loopback on this port (the worker's cascades and model calls, the Core SDK's
   * runtime, and the API's requests; 0 picks a free port, a taken one falls back to a free one). @default none
   */
  metricsPort?: number;
  /**
   * Traces the client's starts, the workflows and the activities. @default by the standard
   * `OTEL_EXPORTER_OTLP_*` variables (`tracingFromEnvironment`): none when they name no endpoint
   */
  tracing?: CascadeTracing;
  /** Progress lines while the Temporal CLI builds. */
  onBuildProgress?: (line: string) => void;
  /** The worker runs evaluation policies whose models nothing prices (see `createCascadeWorker`). @default false */
  acceptUnpricedModels?: boolean;
  /**
   * Warnings the user must see whatever the log level: a Temporal server this stack did not start, other
   * workers on its task queue. @default a `warning: …` line on stderr
   */
  onWarning?: (line: string) => void;
}

export interface LocalStack {
  temporal: ResolvedTemporal;
  modelServer: ModelServer | undefined;
  modelServerUrl: string | undefined;
  /**
   * With `CASCADE_ENCRYPTION_KEYS` set, the codec server this stack runs on loopback for the dev server's
   * Web UI (which is told its address), so the UI shows the payloads decrypted.
   */
  codecServerUrl: string | undefined;
  /** The OpenAI-compatible API's base URL (`http://127.0.0.1:PORT/v1`), when `apiPort` was given. */
  apiUrl: string | undefined;
  /** How many callers the API takes keys of; 0: it takes requests without a key. */
  apiCallerCount: number;
  /** The Prometheus endpoint (`http://127.0.0.1:PORT/metrics`), when `metricsPort` was given. */
  metricsUrl: string | undefined;
  routes: RouteCatalog;
  client: CascadeClient;
  worker: Worker;
  /** Settles when the worker stops (SIGINT, SIGTERM or `stop()`). */
  running: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Everything a cascade needs, on loopback: Temporal (a dev server, or `TEMPORAL_ADDRESS`), the local
 * model server, a worker and a client. The model server's API key is made up per run and reaches the
 * worker only through its environment, as a real provider key would.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { runtimeMetricsUrl } = installRuntime(options.logger, {
    runtimeMetricsAddress: options.metricsPort === undefined ? undefined : `127.0.0.1:${await pickFreePort()}`,
  });
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: unknown) => options.logger.warn({ error: String(error) }, 'cleanup failed'));
  };
  try {
    let modelServer: ModelServer | undefined;
    let modelServerUrl: string | undefined;
    if (!options.withoutModelServer) {
      const apiKey = randomBytes(16).toString('hex');
      modelServer = createModelServer({
        models: await loadScriptedModelsFile(options.modelsPath ?? demoFiles.models),
        datasets: options.datasetPaths ?? [demoFiles.dataset],
        latencyScale: options.latencyScale ?? 0.05,
        apiKey,
      });
      const started = await startOnPreferredPort({
        port: options.modelServerPort ?? 8787,
        start: (port) => modelServer!.start({ port }),
        onFallback: (port) => options.logger.info({ port }, 'model server port taken; using a free one'),
      });
      cleanups.push(() => modelServer!.stop());
      modelServerUrl = started.url;
      process.env.CASCADE_MODEL_SERVER_URL = started.url;
      process.env.CASCADE_MODEL_SERVER_API_KEY = apiKey;
    }
    const configPath = options.configPath ?? demoFiles.routes;
    const configFile = loadConfigFile({ path: configPath });
    const routes = catalogOf(configFile, configPath);

    const uiPort = options.uiPort ?? 8233;
    const codecServer = await startLocalCodecServer(uiPort);
    if (codecServer) cleanups.push(() => codecServer.close());

    const temporal = await resolveTemporal({
      port: options.temporalPort ?? 7233,
      uiPort,
      uiCodecEndpoint: codecServer?.origin,
      reuseExisting: true,
      log: options.logger,
      onProgress: options.onBuildProgress,
    });
    cleanups.push(() => temporal.stop());
    if (codecServer && temporal.uiUrl) codecServer.allowedOrigins.push(new URL(temporal.uiUrl).origin);
    const warn = options.onWarning ?? ((line: string) => process.stderr.write(`warning: ${line}\n`));
    if (temporal.reusedDevServer) {
      warn(
        `a Temporal server already answers on ${temporal.address}: this command did not start it, uses it, and leaves it running`,
      );
    }

    // The cost ledger of CASCADE_LEDGER_URL, when set, as a deployed worker has it.
    const ledger = ledgerFromEnvironment();
    if (ledger) {
      cleanups.push(() => ledger.close());
      await ledger.ensureSchema();
    }
    const tracing = options.tracing ?? tracingFromEnvironment(process.env, { serviceName: 'temporal-cascade' });
    // Stopped after the worker and the client, so the spans of their last tasks are exported.
    if (tracing && !options.tracing) cleanups.push(() => tracing.shutdown());
    const client = await CascadeClient.connect({
      address: temporal.address,
      namespace: temporal.namespace,
      routes,
      tracing,
    });
    cleanups.push(() => client.close());
    if (!temporal.startedDevServer) {
      // Workers of another routes file on the same queue would take some of this stack's cascades.
      const pollers = await findForeignPollers({
        client: client.temporal,
        namespace: temporal.namespace,
        taskQueue: defaultTaskQueue,
        routesFingerprint: routesFingerprint(routes),
      });
      if (pollers.length > 0)
        warn(describeForeignPollers({ pollers, taskQueue: defaultTaskQueue, address: temporal.address }));
    }

    const metrics =
      options.metricsPort === undefined
        ? undefined
        : { cascades: new CascadeMetrics({ routeNames: routes.names() }), api: new ApiMetrics() };
    const workerConnection = await NativeConnection.connect({ address: temporal.address });
    cleanups.push(() => workerConnection.close());
    const worker = await createCascadeWorker({
      metrics: metrics?.cascades,
      connection: workerConnection,
      namespace: temporal.namespace,
      routes,
      logger: options.logger,
      ledger,
      tracing,
      acceptUnpricedModels: options.acceptUnpricedModels,
    });
    const background = runInBackground(worker);
    cleanups.push(() => background.stop());

    let api: { url: string; callerCount: number } | undefined;
    if (options.apiPort !== undefined) {
      const settings = resolveApiSettings(configFile.api, {
        environment: process.env,
        routeNames: routes.names(),
        source: configPath,
      });
      const start = (port: number) =>
        startCascadeApi({
          cascades: client,
          routes,
          settings,
          namespace: temporal.namespace,
          taskQueue: defaultTaskQueue,
          host: '127.0.0.1',
          port,
          webUiUrl: temporal.uiUrl,
          logger: options.logger,
          metrics: metrics?.api,
        });
      const server = await startOnPreferredPort({
        port: options.apiPort,
        start,
        onFallback: (port) => warn(`port ${port} is taken: the OpenAI-compatible API listens on a free port instead`),
      });
      cleanups.push(() => server.close());
      api = { url: `${server.origin}/v1`, callerCount: settings.callers.length };
    }

    let metricsUrl: string | undefined;
    if (metrics && options.metricsPort !== undefined) {
      const registry = Registry.merge([metrics.cascades.registry, metrics.api.registry]);
      const start = (port: number) => startMetricsServer({ registry, port, host: '127.0.0.1', runtimeMetricsUrl });
      const server = await startOnPreferredPort({
        port: options.metricsPort,
        start,
        onFallback: (port) => warn(`port ${port} is taken: Prometheus metrics are served on a free port instead`),
      });
      cleanups.push(() => server.close());
      metricsUrl = `${server.origin}/metrics`;
    }

    return {
      temporal,
      modelServer,
      modelServerUrl,
      codecServerUrl: codecServer?.origin,
      apiUrl: api?.url,
      apiCallerCount: api?.callerCount ?? 0,
      metricsUrl,
      routes,
      client,
      worker,
      running: background.running,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * A codec server on loopback without a token (the dev server's Web UI sends none), answering the Web UI's
 * origin only; `undefined` when no encryption key is configured.
 */
async function startLocalCodecServer(uiPort: number) {
  const keyring = encryptionKeysFromEnvironment();
  if (!keyring) return undefined;
  const allowedOrigins = [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`];
  const app = createCodecServerApp({
    codecs: codecServerCodecs(keyring),
    token: undefined,
    allowedOrigins,
  });
  const server = await startHttpServer({ fetch: app.fetch, host: '127.0.0.1', port: 0 });
  return { ...server, allowedOrigins };
}

import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { dataConverterFromEnvironment } from '../codec/payload-codecs';
import type pino from 'pino';
import { createActivities } from '../activities/create-activities';
import type { CostLedger } from '../operations/ledger/cost-ledger';
import type { CascadeMetrics } from '../operations/metrics/cascade-metrics';
import type { CascadeTracing } from '../operations/tracing/cascade-tracing';
import { defaultTaskQueue } from '../contracts/cascade/cascade-request';
import type { ModelSpec } from '../contracts/cascade/route-policy';
import { toApplicationFailure } from '../contracts/to-application-failure';
import { ConfigurationError } from '../config/configuration-error';
import type { RouteCatalog } from '../config/route-catalog';
import { gatePatternProblems } from '../gates/gate-pattern-problems';
import { preRoutingProblems } from '../operations/traffic/pre-routing';
import { SchemaRegistry } from '../gates/schema-registry';
import { checkApiKeys, createModelProvider } from '../models/providers/create-model-provider';
import type { ModelProvider } from '../models/providers/model-provider';
import { checkAlertWebhookUrl } from '../operations/drift/alert-webhook';
import type { CascadeRecordReader } from '../operations/reporting/reported-cascade';
import { VisibilityRecordReader } from '../operations/reporting/visibility-record-reader';
import { ModelNotAllowedError } from './model-not-allowed-error';
import { createLogger } from './pino-logger';
import { workerIdentity } from './worker-identity';
import { workflowBundleOptions } from './workflow-bundle-options';
import { circuitBreakersFor } from './circuit-breakers-for';
import type { CircuitBreakers, SharedCircuitStore } from '../operations/traffic/circuit-breakers';

export interface CascadeWorkerOptions {
  connection: NativeConnection;
  /** @default 'default' */
  namespace?: string;
  /** @default 'cascade' */
  taskQueue?: string;
  /** The routes this worker serves. */
  routes: RouteCatalog;
  /** Zod schemas defined in code, for `json-schema` gates that name one. @default an empty registry */
  schemas?: SchemaRegistry;
  /** Where API keys are read from. @default process.env */
  environment?: Record<string, string | undefined>;
  /** The HTTP client of the providers (tests record and replay with it). @default globalThis.fetch */
  fetch?: typeof fetch;
  logger?: pino.Logger;
  /** Model calls in flight at once. @default 100 */
  maxConcurrentActivityTaskExecutions?: number;
  /** Gate evaluations and pricing in flight at once. @default 100 */
  maxConcurrentLocalActivityExecutions?: number;
  /** Workflow tasks processed at once. @default 40 */
  maxConcurrentWorkflowTaskExecutions?: number;
  /** A prebuilt workflow bundle (from `bundleWorkflowCode` with `workflowBundleOptions`); without it, the worker bundles `workflows/`. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Where each finished cascade writes its cost row (see `operations/ledger/`). @default none */
  ledger?: CostLedger;
  /** Counts cascades and model calls for Prometheus (serve its registry with `startMetricsServer`). @default none */
  metrics?: CascadeMetrics;
  /**
   * Where drift alerts are POSTed as JSON. It is read here, at the worker, never from workflow input: such
   * URLs often carry a token. @default the environment's `CASCADE_ALERT_WEBHOOK_URL`; no webhook when unset
   */
  alertWebhookUrl?: string;
  /** Reads finished cascades for the drift checks. @default Temporal's visibility (`VisibilityRecordReader`) */
  readerFor?: (client: Client) => CascadeRecordReader;
  /**
   * The worker's identity, as pollers of the task queue are listed. @default `<pid>@<host> routes=<fingerprint>`
   * (see `workerIdentity`), so another process can tell whether this worker serves the same routes
   */
  identity?: string;
  /**
   * How payloads are stored: encrypted and compressed by the codecs of the environment's
   * `CASCADE_ENCRYPTION_KEYS` and `CASCADE_PAYLOAD_COMPRESSION`. @default `dataConverterFromEnvironment(environment)`
   */
  dataConverter?: DataConverter;
  /**
   * Run a policy from workflow input whose model nothing prices, at cost 0: for an evaluation's own
   * worker, which measures accuracy on models the price table lacks. @default false
   */
  acceptUnpricedModels?: boolean;
  /**
   * Traces the workflows and activities (Temporal's OpenTelemetry interceptors) with model-call spans
   * carrying the GenAI attributes (see `tracingFromEnvironment`). The worker then bundles its workflows
   * itself, with the interceptors in the bundle: it cannot take a prebuilt `workflowBundle`. @default none
   */
  tracing?: CascadeTracing;
  /**
   * The circuit breakers of the worker's model calls, one per endpoint and model. @default built from the
   * routes' `circuitBreaker` section (`circuitBreakersFor`); none when it has none
   */
  circuitBreakers?: CircuitBreakers;
  /** How long a shutdown waits for calls in flight. @default '30 seconds' */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
}

/** The store of shared open circuits, when the routes ask for one; refuses to start without a ledger to keep it. */
async function sharedCircuitsOf(options: {
  routes: RouteCatalog;
  ledger: CostLedger | undefined;
  logger: pino.Logger;
}): Promise<SharedCircuitStore | undefined> {
  if (!options.routes.circuitBreaker?.shared) return undefined;
  if (!options.ledger?.sharedCircuits)
    throw new ConfigurationError({
      message:
        "circuitBreaker.shared keeps open circuits in the cost ledger's database: set CASCADE_LEDGER_URL, or leave shared out",
    });
  return options.ledger.sharedCircuits({
    onError: (error) =>
      options.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'shared circuits unreadable: each worker goes on with its own breakers',
      ),
  });
}

/**
 * A worker of the cascade workflow and its activities. It refuses to start when a model's API key
 * is missing from its environment, or a route's gate has a pattern or schema that does not compile
 * (see `gatePatternProblems`), so a misconfiguration is reported at once, not as a retry storm.
 */
export async function createCascadeWorker(options: CascadeWorkerOptions): Promise<Worker> {
  const environment = options.environment ?? process.env;
  const dataConverter = options.dataConverter ?? dataConverterFromEnvironment(environment);
  const problems = checkApiKeys(options.routes.models(), environment);
  if (problems.length > 0) {
    throw new ConfigurationError({ message: `the worker cannot call every configured model: ${problems.join('; ')}` });
  }
  const gateProblems = options.routes
    .policies()
    .flatMap((policy) =>
      [...gatePatternProblems(policy.gate), ...preRoutingProblems(policy)].map(
        (problem) => `route "${policy.route}": ${problem}`,
      ),
    );
  if (gateProblems.length > 0) {
    throw new ConfigurationError({
      message: `the worker cannot run every configured gate: ${gateProblems.join('; ')}`,
    });
  }
  const providers = new Map<string, ModelProvider>();
  const providerFor = (spec: ModelSpec): ModelProvider => {
    // A policy travels in workflow input, which any starter writes: it may choose among the worker's
    // endpoints and keys, never send a key to an endpoint of its own.
    if (!options.routes.allowsCredentialBinding(spec)) {
      throw toApplicationFailure(new ModelNotAllowedError({ spec }));
    }
    const key = JSON.stringify(spec);
    let provider = providers.get(key);
    if (!provider) {
      provider = createModelProvider(spec, { environment, fetch: options.fetch });
      providers.set(key, provider);
    }
    return provider;
  };
  // Read here, never from workflow input: a webhook URL often carries a token.
  const alertWebhookUrl = options.alertWebhookUrl ?? (environment.CASCADE_ALERT_WEBHOOK_URL || undefined);
  if (alertWebhookUrl !== undefined)
    checkAlertWebhookUrl(
      alertWebhookUrl,
      options.alertWebhookUrl !== undefined ? 'alertWebhookUrl' : 'CASCADE_ALERT_WEBHOOK_URL',
    );
  if (options.tracing && options.workflowBundle) {
    throw new ConfigurationError({
      message:
        'a traced worker bundles its workflows with the tracing interceptors: give it no prebuilt workflowBundle',
    });
  }
  const logger = options.logger ?? createLogger();
  const circuitBreakers =
    options.circuitBreakers ??
    circuitBreakersFor({
      settings: options.routes.circuitBreaker,
      logger,
      metrics: options.metrics,
      shared: await sharedCircuitsOf({ routes: options.routes, ledger: options.ledger, logger }),
    });
  const activities = createActivities({
    providerFor,
    circuitBreakers,
    routes: options.routes,
    schemas: options.schemas ?? new SchemaRegistry(),
    ledger: options.ledger,
    metrics: options.metrics,
    readerFor: options.readerFor ?? ((client) => new VisibilityRecordReader({ client })),
    alertWebhookUrl,
    logger,
    acceptUnpricedModels: options.acceptUnpricedModels,
  });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? defaultTaskQueue,
    identity: options.identity ?? workerIdentity(options.routes),
    dataConverter,
    activities,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : {
          workflowsPath: workflowBundleOptions.workflowsPath,
          bundlerOptions: { preloadModules: workflowBundleOptions.preloadModules },
        }),
    maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions ?? 100,
    maxConcurrentLocalActivityExecutions: options.maxConcurrentLocalActivityExecutions ?? 100,
    maxConcurrentWorkflowTaskExecutions: options.maxConcurrentWorkflowTaskExecutions ?? 40,
    shutdownGraceTime: options.shutdownGraceTime ?? '30 seconds',
    ...(options.tracing ? { plugins: [options.tracing.plugin] } : {}),
  });
}

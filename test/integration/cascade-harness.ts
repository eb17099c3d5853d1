import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { BackfillClient } from '../../client/backfill-client';
import { CascadeClient } from '../../client/cascade-client';
import { parseConfig } from '../../config/load-config';
import { modelServerApiKeyVariable, overrideRouteModels } from '../../evaluation/runs/route-override';
import { RouteCatalog } from '../../config/route-catalog';
import type { CostLedger } from '../../operations/ledger/cost-ledger';
import type { CascadeMetrics } from '../../operations/metrics/cascade-metrics';
import type { CascadeTracing } from '../../operations/tracing/cascade-tracing';
import type { RoutePolicy } from '../../contracts/cascade/route-policy';
import { createModelServer, type ModelServer } from '../../local-stack/model-server/model-server';
import type { ScriptedModelSpec } from '../../local-stack/model-server/scripted-model-spec';
import { runInBackground, type BackgroundWorker } from '../../workers/background-worker';
import { createCascadeWorker } from '../../workers/create-worker';
import { installRuntime } from '../../workers/install-runtime';
import { createLogger } from '../../workers/pino-logger';
import { integrationEnvironment, requiredEnvironment } from './integration-environment';

export const testApiKeyVariable = 'CASCADE_TEST_MODEL_API_KEY';
export const testApiKey = 'test-key-not-a-secret';

export interface HarnessOptions {
  /** Scripted models of the local model server. @default [] */
  models?: ScriptedModelSpec[];
  /** Replay datasets of the local model server (file paths). @default [] */
  datasets?: string[];
  /** The routes file; `${MODEL_SERVER_URL}` and `${API_KEY_ENV}` are filled in. */
  routesYaml: string;
  /** The variable that holds the model server's key in the worker's environment. @default CASCADE_TEST_MODEL_API_KEY */
  apiKeyVariable?: string;
  /** The worker's cost ledger. @default none */
  ledger?: CostLedger;
  /** The worker's Prometheus metrics. @default none */
  metrics?: CascadeMetrics;
  /** Where the worker POSTs drift alerts. @default none */
  alertWebhookUrl?: string;
  /** Start no worker (the test runs its own, e.g. in a child process). @default false */
  withoutWorker?: boolean;
  /** The data converter of the client and the worker (payload codecs). @default plain JSON payloads */
  dataConverter?: DataConverter;
  /**
   * The worker bundles the workflow code itself (with the data converter's failure converter), instead of
   * using the bundle of the global setup; takes a few seconds. @default false
   */
  bundleWorkflows?: boolean;
  /** Traces the client and the worker, which then bundles the workflow code itself. @default none */
  tracing?: CascadeTracing;
}

export interface Harness {
  client: CascadeClient;
  /** Back-fill jobs on the harness's task queue. */
  backfill: BackfillClient;
  temporal: Client;
  modelServer: ModelServer;
  modelServerUrl: string;
  routes: RouteCatalog;
  routesYaml: string;
  taskQueue: string;
  address: string;
  /** A client that puts this one policy (for example, one with overridden models) into the workflow input. */
  clientForPolicy(policy: RoutePolicy): CascadeClient;
  /** Calls the local model server received for a model. */
  callsOf(model: string): number;
  /** The workflow's history events. */
  history(workflowId: string): Promise<temporal.api.history.v1.IHistoryEvent[]>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A cascade stack for one test file: the shared real Temporal dev server, a local model server on
 * its own port, a real worker on a task queue of its own, and a `CascadeClient`.
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  installRuntime(createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }));
  const address = requiredEnvironment(integrationEnvironment.temporalAddress);
  const apiKeyVariable = options.apiKeyVariable ?? testApiKeyVariable;
  const modelServer = createModelServer({
    models: options.models ?? [],
    datasets: options.datasets ?? [],
    apiKey: testApiKey,
  });
  const started = await modelServer.start();
  const routesYaml = options.routesYaml
    .replaceAll('${MODEL_SERVER_URL}', started.url)
    .replaceAll('${API_KEY_ENV}', apiKeyVariable);
  const routes = parseConfig(routesYaml, { source: 'test routes' });
  const taskQueue = `cascade-test-${randomUUID()}`;

  const connection = await Connection.connect({ address });
  const temporalClient = new Client({
    connection,
    dataConverter: options.dataConverter,
    ...(options.tracing ? { plugins: [options.tracing.plugin] } : {}),
  });
  const client = new CascadeClient({ client: temporalClient, routes, taskQueue });

  let worker: { background: BackgroundWorker; connection: NativeConnection } | undefined;
  const startWorker = async (): Promise<void> => {
    const workerConnection = await NativeConnection.connect({ address });
    const created = await createCascadeWorker({
      connection: workerConnection,
      taskQueue,
      routes,
      environment: { [apiKeyVariable]: testApiKey },
      dataConverter: options.dataConverter,
      workflowBundle:
        options.bundleWorkflows || options.tracing
          ? undefined
          : { codePath: requiredEnvironment(integrationEnvironment.workflowBundle) },
      shutdownGraceTime: '2 seconds',
      ledger: options.ledger,
      metrics: options.metrics,
      alertWebhookUrl: options.alertWebhookUrl,
      tracing: options.tracing,
    });
    worker = { background: runInBackground(created), connection: workerConnection };
  };
  const stopWorker = async (): Promise<void> => {
    if (!worker) return;
    const current = worker;
    worker = undefined;
    await current.background.stop();
    await current.connection.close();
  };
  if (!options.withoutWorker) await startWorker();

  return {
    client,
    backfill: new BackfillClient({ client: temporalClient, routes, taskQueue }),
    temporal: temporalClient,
    modelServer,
    modelServerUrl: started.url,
    routes,
    routesYaml,
    taskQueue,
    address,
    clientForPolicy: (policy) =>
      new CascadeClient({ client: temporalClient, routes: new RouteCatalog([policy]), taskQueue, sendPolicy: true }),
    callsOf: (model) => modelServer.callCounts().byModel[model] ?? 0,
    history: async (workflowId) => (await temporalClient.workflow.getHandle(workflowId).fetchHistory()).events ?? [],
    startWorker,
    stopWorker,
    stop: async () => {
      await stopWorker();
      await connection.close();
      await modelServer.stop();
    },
  };
}

export interface ReplayHarnessOptions {
  /** Dataset files the model server replays. */
  datasets: string[];
  /** The routes file; its models read the key from `modelServerApiKeyVariable`. */
  routesYaml: string;
  /** The route to evaluate. */
  route: string;
  /** The recorded models put into the route's tiers. */
  cheap: string;
  flagship: string;
}

export interface ReplayHarness {
  harness: Harness;
  /** The route with its tiers set to the recorded models, as `analyze` and `tune` run it. */
  policy: RoutePolicy;
  /** A client that puts `policy` into the workflow input. */
  client: CascadeClient;
}

/** A harness whose model server replays recorded datasets, and the route overridden to two recorded models. */
export async function startReplayHarness(options: ReplayHarnessOptions): Promise<ReplayHarness> {
  const harness = await startHarness({
    datasets: options.datasets,
    routesYaml: options.routesYaml,
    apiKeyVariable: modelServerApiKeyVariable,
  });
  const policy = overrideRouteModels({
    policy: harness.routes.get(options.route),
    cheap: options.cheap,
    flagship: options.flagship,
    modelServerUrl: harness.modelServerUrl,
    configuredModels: [],
  });
  return { harness, policy, client: harness.clientForPolicy(policy) };
}

/** The statuses of the last `count` calls the model server received for `model`, and the time between them. */
export function lastCallsOf(
  harness: Harness,
  options: { model: string; count: number },
): { statuses: Array<number | null>; gapsMs: number[] } {
  const calls = harness.modelServer
    .callCounts()
    .log.filter((entry) => entry.model === options.model)
    .slice(-options.count);
  return {
    statuses: calls.map((entry) => entry.status),
    gapsMs: calls.slice(1).map((entry, index) => Date.parse(entry.at) - Date.parse(calls[index]!.at)),
  };
}

/** A fresh request id, so tests never share a workflow id. */
export function newRequestId(label: string): string {
  return `${label}-${randomUUID()}`;
}

/**
 * The routes of most tests: a cheap and a flagship scripted model, a JSON-schema gate, fast retries.
 * With `flagshipOnlyRoute`, also `tickets-direct`: the same tiers and gate in mode `flagship-only`.
 */
export function standardRoutes(
  options: {
    cheapTimeout?: string;
    flagshipAttempts?: number;
    flagshipOnlyRoute?: boolean;
    canaryRoute?: boolean;
  } = {},
): string {
  return `
models:
  cheap: { provider: openai, model: cheap-model, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: \${API_KEY_ENV}, logprobs: true, price: { inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 } }
  flagship: { provider: openai, model: flagship-model, baseUrl: "\${MODEL_SERVER_URL}", apiKeyEnv: \${API_KEY_ENV}, price: { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 } }
routes:
  tickets:
    cheap:
      model: cheap
      timeout: ${options.cheapTimeout ?? '2s'}
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 200ms, maximumAttempts: 2 }
    flagship:
      model: flagship
      timeout: 5s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 400ms, maximumAttempts: ${options.flagshipAttempts ?? 4} }
    retryAfterCap: 3s
    gate:
      kind: all
      gates:
        - kind: refusal
        - kind: json-schema
          schema:
            type: object
            required: [category]
            properties: { category: { enum: [billing, bug, account] } }
${options.flagshipOnlyRoute ? flagshipOnlyTicketsRoute : ''}${options.canaryRoute ? canaryTicketsRoute : ''}`;
}

/**
 * A route `route` on the standard models with a JSON-schema gate and a canary of `share` of its accepted
 * requests, compared by the JSON field `category`; append it to `standardRoutes()`.
 */
export function canaryRoute(options: { route: string; share: string; maxUsdPerDay: number }): string {
  return `  ${options.route}:
    cheap:
      model: cheap
      timeout: 2s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 200ms, maximumAttempts: 2 }
    flagship:
      model: flagship
      timeout: 5s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 400ms, maximumAttempts: 3 }
    gate: { kind: json-schema, schema: { type: object, required: [category] } }
    canary: { share: ${options.share}, maxUsdPerDay: ${options.maxUsdPerDay}, compare: { kind: json-field, field: category } }
`;
}

/** `tickets` with a canary of every accepted request. */
const canaryTicketsRoute = canaryRoute({ route: 'tickets-canary', share: '100%', maxUsdPerDay: 1 });

/** `tickets` sent to the flagship alone: its cheap tier and gate stay in the file, never called. */
const flagshipOnlyTicketsRoute = `  tickets-direct:
    mode: flagship-only
    cheap: { model: cheap, timeout: 2s }
    flagship:
      model: flagship
      timeout: 5s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 400ms, maximumAttempts: 4 }
    retryAfterCap: 3s
    gate: { kind: json-schema, schema: { type: object, required: [category] } }
`;

/**
 * A route `name` on the standard models whose json-schema gate names no schema of its own, so each request's
 * `outputSchema` decides; append it to `standardRoutes()`.
 */
export function requestSchemaRoute(name: string): string {
  return `  ${name}:
    cheap:
      model: cheap
      timeout: 2s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 200ms, maximumAttempts: 2 }
    flagship:
      model: flagship
      timeout: 5s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 400ms, maximumAttempts: 4 }
    gate: { kind: json-schema }
`;
}

/** The calls the standard models received while `action` ran. */
export async function countStandardCalls<T>(
  harness: Pick<Harness, 'callsOf'>,
  action: () => Promise<T>,
): Promise<{ result: T; cheap: number; flagship: number }> {
  const before = { cheap: harness.callsOf('cheap-model'), flagship: harness.callsOf('flagship-model') };
  const result = await action();
  return {
    result,
    cheap: harness.callsOf('cheap-model') - before.cheap,
    flagship: harness.callsOf('flagship-model') - before.flagship,
  };
}

/** Scripted models for `standardRoutes`: answers chosen by a marker word in the user message. */
export function standardModels(): ScriptedModelSpec[] {
  return [
    {
      id: 'cheap-model',
      rules: [
        { whenContains: 'CHEAP-INVALID-JSON', respond: { text: '{"category": "billing"' } },
        { whenContains: 'CHEAP-OFF-SCHEMA', respond: { text: '{"category": "shipping"}' } },
        { whenContains: 'CHEAP-REFUSES', respond: { text: "I'm sorry, but I can't help with that." } },
        { whenContains: 'CHEAP-HANGS', respond: { text: '{"category": "bug"}', faults: [{ hang: true, times: 100 }] } },
        {
          whenContains: 'CHEAP-UNAVAILABLE',
          respond: { text: '{"category": "bug"}', faults: [{ status: 503, times: 100 }] },
        },
        { whenContains: 'CHEAP-SLOW', respond: { text: '{"category": "billing"}', latencyMs: 300 } },
        { whenContains: 'CHEAP-EMPTY', respond: { text: '' } },
        {
          whenContains: 'CHEAP-KEY-REFUSED',
          respond: { text: '{"category": "bug"}', faults: [{ status: 401, times: 100 }] },
        },
        // Long enough that a backtracking pattern would never finish on it.
        { whenContains: 'CHEAP-LONG-ANSWER', respond: { text: 'a'.repeat(5000) } },
      ],
      default: { text: '{"category": "billing"}' },
    },
    {
      id: 'flagship-model',
      rules: [
        {
          whenContains: 'FLAGSHIP-RATE-LIMITED',
          respond: { text: '{"category": "account"}', faults: [{ status: 429, retryAfterSeconds: 1, times: 2 }] },
        },
        {
          whenContains: 'FLAGSHIP-BAD-REQUEST',
          respond: { text: '{}', faults: [{ status: 400, times: 100, message: 'maximum context length exceeded' }] },
        },
        { whenContains: 'FLAGSHIP-DOWN', respond: { text: '{}', faults: [{ status: 500, times: 100 }] } },
        { whenContains: 'FLAGSHIP-SLOW', respond: { text: '{"category": "account"}', latencyMs: 3000 } },
        { whenContains: 'FLAGSHIP-SAYS-BILLING', respond: { text: '{"category": "billing"}' } },
      ],
      default: { text: '{"category": "account"}' },
    },
  ];
}

/** The `callModel` activities the workflow scheduled, by tier, read from its history. */
export function scheduledModelCalls(events: temporal.api.history.v1.IHistoryEvent[]): {
  cheap: number;
  flagship: number;
} {
  const counts = { cheap: 0, flagship: 0 };
  for (const event of events) {
    const attributes = event.activityTaskScheduledEventAttributes;
    if (attributes?.activityType?.name !== 'callModel') continue;
    const summary = decodeSummary(event);
    if (summary.startsWith('cheap')) counts.cheap += 1;
    if (summary.startsWith('flagship')) counts.flagship += 1;
  }
  return counts;
}

/** The UI summary of an event (user metadata), as text. */
export function decodeSummary(event: temporal.api.history.v1.IHistoryEvent): string {
  const data = event.userMetadata?.summary?.data;
  return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as string) : '';
}

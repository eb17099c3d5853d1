import type { Hono } from 'hono';
import { loadRecordedDataset } from '../../evaluation/datasets/recorded-dataset';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { isAuthorized, unauthorizedRefusal } from './api-key';
import { createCallLog, type CallCounts, type CallLog } from './call-log';
import { addChatCompletionRoute, type ChatCompletionRouteContext } from './chat-completion-route';
import { createDatasetReplay } from './dataset-replay';
import { createFaultCounter } from './fault-counter';
import { createOutages, outageSchema, parseOutage, type Outage, type Outages } from './outages';
import { readJsonBody } from '../../http/request-body';
import { createHttpApp, methodNotAllowed, openAIErrorResponse } from '../../http/http-app';
import { startHttpServer, type RunningHttpServer } from '../../http/http-server';
import { resolveModelServerOptions, type ModelServerOptions } from './model-server-options';
import { createScriptedModel } from './scripted-model';
import { parseScriptedModelSpecs } from './scripted-model-spec';
import type { ServedModel } from './served-model';

export type { CallCounts, CallLogEntry } from './call-log';
export type { ModelServerOptions } from './model-server-options';

export interface ModelServerStartOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
}

export interface StartedModelServer {
  /** Base URL for OpenAI clients, ending in `/v1`, e.g. `http://127.0.0.1:8787/v1`. */
  url: string;
  port: number;
  /** The ids of the models served, scripted and replayed. */
  modelIds: string[];
}

/** A local OpenAI-compatible server of scripted and replayed models. */
export interface ModelServer {
  /** Reads the dataset files, then listens. Rejects when already started. */
  start(options?: ModelServerStartOptions): Promise<StartedModelServer>;
  /** Stops listening and cuts every open connection (hung calls included); resolves once closed. */
  stop(): Promise<void>;
  /** The chat completion calls received since the start or the last reset. */
  callCounts(): CallCounts;
  /** Clears the call counts and the per-prompt fault counters. */
  reset(): void;
  /** Injects an outage: every call of the model gets its status (or hangs) until `endOutage`. */
  startOutage(outage: Outage): void;
  /** Ends the model's outage, or every outage; tells how many ended. */
  endOutage(model?: string): number;
}

/**
 * Creates (without starting) a model server. Endpoints: `POST /v1/chat/completions` (OpenAI Chat
 * Completions, non-streaming), `GET /v1/models`, `GET /admin/calls`, `POST /admin/reset`.
 * Throws at once on a bad scripted spec or option.
 */
export function createModelServer(options: ModelServerOptions = {}): ModelServer {
  const resolved = resolveModelServerOptions(options);
  const scriptedModels = parseScriptedModelSpecs(options.models ?? []).map(createScriptedModel);
  const callLog = createCallLog({ limit: resolved.callLogLimit });
  const faultCounter = createFaultCounter();
  const outages = createOutages();
  let running: { server: RunningHttpServer; stopController: AbortController } | undefined;
  let completionSequence = 0;
  const reset = (): void => {
    callLog.reset();
    faultCounter.reset();
  };

  async function servedModels(): Promise<Map<string, ServedModel>> {
    const rows: RecordedRow[] = [];
    for (const source of options.datasets ?? []) {
      rows.push(...(typeof source === 'string' ? await loadRecordedDataset(source) : [source]));
    }
    const models = new Map<string, ServedModel>();
    for (const model of [...createDatasetReplay({ rows, latencyScale: resolved.latencyScale }), ...scriptedModels]) {
      models.set(model.id, model);
    }
    return models;
  }

  return {
    async start(startOptions = {}) {
      if (running !== undefined) throw new Error('the model server is already started');
      const models = await servedModels();
      const stopController = new AbortController();
      const route: ChatCompletionRouteContext = {
        models,
        callLog,
        faultCounter,
        outages,
        apiKey: resolved.apiKey,
        bodyLimitBytes: resolved.bodyLimitBytes,
        stopSignal: stopController.signal,
        nextCompletionId: () => `chatcmpl-local-${(completionSequence += 1)}`,
        logger: options.logger,
      };
      const app = createHttpApp({
        logger: options.logger,
        internalErrorMessage: 'internal error of the local model server',
      });
      addChatCompletionRoute(app, route);
      addModelListRoute(app, { models, apiKey: resolved.apiKey, created: Math.floor(Date.now() / 1000) });
      addAdminRoutes(app, { callLog, reset, outages, servedModels: [...models.keys()] });
      const server = await startHttpServer({ fetch: app.fetch, host: startOptions.host, port: startOptions.port });
      running = { server, stopController };
      return { url: `${server.origin}/v1`, port: server.port, modelIds: [...models.keys()] };
    },

    async stop() {
      if (running === undefined) return;
      const { server, stopController } = running;
      running = undefined;
      stopController.abort();
      await server.close();
    },

    callCounts: () => callLog.counts(),
    reset,
    startOutage: (outage) => outages.start(outageSchema.parse(outage)),
    endOutage: (model) => outages.end(model),
  };
}

/** `GET /v1/models`: the served models, in OpenAI's list shape. */
function addModelListRoute(
  app: Hono,
  options: { models: ReadonlyMap<string, ServedModel>; apiKey: string | undefined; created: number },
): void {
  app.get('/v1/models', (context) => {
    if (!isAuthorized(context, options.apiKey)) return openAIErrorResponse(context, unauthorizedRefusal);
    const data = [...options.models.keys()].map((id) => ({
      id,
      object: 'model',
      created: options.created,
      owned_by: 'local-model-server',
    }));
    return context.json({ object: 'list', data });
  });
  app.all('/v1/models', methodNotAllowed('GET'));
}

/** `GET /admin/calls`, `POST /admin/reset` and `GET|POST|DELETE /admin/outages`; never behind the API key. */
function addAdminRoutes(
  app: Hono,
  options: { callLog: CallLog; reset: () => void; outages: Outages; servedModels: readonly string[] },
): void {
  app.get('/admin/outages', (context) => context.json({ outages: options.outages.list() }));
  app.post('/admin/outages', async (context) => {
    options.outages.start(parseOutage(await readJsonBody(context), options.servedModels));
    return context.json({ outages: options.outages.list() });
  });
  app.delete('/admin/outages', (context) => {
    const model = context.req.query('model');
    return context.json({ ended: options.outages.end(model), outages: options.outages.list() });
  });
  app.all('/admin/outages', methodNotAllowed('GET, POST, DELETE'));
  app.get('/admin/calls', (context) => context.json(options.callLog.counts()));
  app.all('/admin/calls', methodNotAllowed('GET'));
  app.post('/admin/reset', (context) => {
    options.reset();
    return context.json({ reset: true });
  });
  app.all('/admin/reset', methodNotAllowed('POST'));
}

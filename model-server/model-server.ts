import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadRecordedDataset } from '../datasets/recorded-dataset';
import type { RecordedRow } from '../datasets/recorded-row';
import { createCallLog, type CallCounts } from './call-log';
import { handleChatCompletion, isAuthorized, type ChatCompletionRouteContext } from './chat-completion-route';
import { createDatasetReplay } from './dataset-replay';
import { createFaultCounter } from './fault-counter';
import { sendJson } from './http-body';
import { resolveModelServerOptions, type ModelServerOptions } from './model-server-options';
import { openAIErrorBody } from './openai-error';
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
  let running: { server: Server; stopController: AbortController } | undefined;
  let completionSequence = 0;

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
      const host = startOptions.host ?? '127.0.0.1';
      const models = await servedModels();
      const stopController = new AbortController();
      const context: ChatCompletionRouteContext = {
        models,
        callLog,
        faultCounter,
        apiKey: resolved.apiKey,
        bodyLimitBytes: resolved.bodyLimitBytes,
        stopSignal: stopController.signal,
        nextCompletionId: () => `chatcmpl-local-${(completionSequence += 1)}`,
        logger: options.logger,
      };
      const created = Math.floor(Date.now() / 1000);
      const server = createServer((request, response) => {
        route({ request, response, context, created }).catch((error: unknown) => {
          options.logger?.error({ err: error }, 'model server request failed');
          if (!response.headersSent)
            sendJson(response, {
              status: 500,
              body: openAIErrorBody({ status: 500, message: 'internal error of the local model server' }),
            });
          else response.destroy();
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(startOptions.port ?? 0, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      running = { server, stopController };
      const { port } = server.address() as AddressInfo;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      return { url: `http://${urlHost}:${port}/v1`, port, modelIds: [...models.keys()] };
    },

    async stop() {
      if (running === undefined) return;
      const { server, stopController } = running;
      running = undefined;
      stopController.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Hung calls never end by themselves: cut them rather than wait.
      server.closeAllConnections();
      await closed;
    },

    callCounts: () => callLog.counts(),

    reset() {
      callLog.reset();
      faultCounter.reset();
    },
  };
}

async function route(options: {
  request: IncomingMessage;
  response: ServerResponse;
  context: ChatCompletionRouteContext;
  created: number;
}): Promise<void> {
  const { request, response, context } = options;
  const path = new URL(request.url ?? '/', 'http://model-server').pathname;
  const routes: Record<string, { method: string; handle: () => Promise<void> | void }> = {
    '/v1/chat/completions': { method: 'POST', handle: () => handleChatCompletion(context, request, response) },
    '/v1/models': {
      method: 'GET',
      handle: () => {
        if (!isAuthorized(request, context.apiKey)) {
          return sendJson(response, {
            status: 401,
            body: openAIErrorBody({
              status: 401,
              message: 'missing or incorrect API key: send Authorization: Bearer <key>',
            }),
          });
        }
        const data = [...context.models.keys()].map((id) => ({
          id,
          object: 'model',
          created: options.created,
          owned_by: 'local-model-server',
        }));
        sendJson(response, { status: 200, body: { object: 'list', data } });
      },
    },
    '/admin/calls': {
      method: 'GET',
      handle: () => sendJson(response, { status: 200, body: context.callLog.counts() }),
    },
    '/admin/reset': {
      method: 'POST',
      handle: () => {
        context.callLog.reset();
        context.faultCounter.reset();
        sendJson(response, { status: 200, body: { reset: true } });
      },
    },
  };
  const target = Object.hasOwn(routes, path) ? routes[path] : undefined;
  if (target === undefined) {
    request.resume();
    return sendJson(response, {
      status: 404,
      body: openAIErrorBody({ status: 404, message: `no route ${request.method} ${path}`, code: 'not_found' }),
    });
  }
  if (request.method !== target.method) {
    request.resume();
    return sendJson(response, {
      status: 405,
      body: openAIErrorBody({ status: 405, message: `${path} accepts ${target.method} only` }),
      headers: { allow: target.method },
    });
  }
  await target.handle();
}

import { createHash, randomUUID } from 'node:crypto';
import { isGrpcServiceError } from '@temporalio/client';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { CascadeClient } from '../client/cascade-client';
import { CascadeFailedError, InvalidCascadeRequestError } from '../client/cascade-errors';
import { awaitCascadeResult } from '../client/await-cascade-result';
import { CascadeWaitTimeoutError } from '../client/cascade-wait-timeout-error';
import {
  budgetRetryAfterSeconds,
  cascadeFailureStatus,
  cascadeSummaryOf,
  workflowWebUiUrl,
} from '../client/cascade-summary';
import { routeModelPrefix, routeOfModel } from '../client/route-model-name';
import type { ApiCaller, ApiSettings } from '../config/api-section';
import type { RouteCatalog } from '../config/route-catalog';
import { gateLeaves } from '../contracts/cascade/gate-leaves';
import { messageBytes, requestSizeProblem } from '../contracts/cascade/message-text-problems';
import type { CascadeResult } from '../contracts/cascade/cascade-result';
import { createHttpApp, methodNotAllowed } from '../http/http-app';
import { RefusedRequestError } from '../http/refused-request';
import { limitRequestBody, readJsonBody } from '../http/request-body';
import type { ApiMetrics } from './api-metrics';
import type { Readiness } from './api-readiness';
import { authenticateCaller, checkRouteAllowed, openCaller } from './caller-authentication';
import { CallerRateLimiter } from './caller-rate-limiter';
import { parseChatCompletionRequest, type ChatCompletionCall } from './chat-completion-request';
import { chatCompletionEvents, chatCompletionOf } from './chat-completion-response';
import { cascadeHeaders, idempotencyKeyOf, requestTimeoutOf } from './cascade-headers';

export interface CascadeApiAppOptions {
  /** Starts and awaits the cascades. */
  cascades: CascadeClient;
  /** The routes served, as models. */
  routes: RouteCatalog;
  /** Callers, time budget, body size (the routes file's `api` section). */
  settings: ApiSettings;
  /** Whether Temporal answers and a worker polls, for `/readyz`. */
  readiness: () => Promise<Readiness>;
  /** The Web UI, for a link to each cascade's workflow. @default no link */
  webUi?: { url: string; namespace: string };
  /** Logs each request at info (health probes at debug), and failures answered 500. @default no logging */
  logger?: Logger;
  /** Counts the chat completion requests by route, status and caller. @default none */
  metrics?: ApiMetrics;
}

/**
 * The OpenAI-compatible API over cascades: `POST /v1/chat/completions` (a route as the model),
 * `GET /v1/models`, `GET /healthz`, `GET /readyz`. Errors come in OpenAI's shape. Serve it with
 * `startHttpServer({ fetch: app.fetch })`, or start the whole server with `startCascadeApi`.
 */
/** What a request's handlers tell each other: its caller, once known, and its cascade's workflow id. */
interface ApiEnv {
  Variables: { caller?: ApiCaller; workflowId?: string; route?: string };
}

export function createCascadeApiApp(options: CascadeApiAppOptions): Hono<ApiEnv> {
  const app = createHttpApp<ApiEnv>({ logger: options.logger });
  const rateLimiter = new CallerRateLimiter();
  if (options.logger) app.use(accessLog(options.logger));
  if (options.metrics) app.use('/v1/chat/completions', countRequests(options.metrics, options.routes));
  const callerOf = (context: Context<ApiEnv>): ApiCaller =>
    authenticateCaller(context.req.header('authorization'), options.settings.callers);

  app.get('/healthz', (context) => context.json({ status: 'ok' }));
  app.all('/healthz', methodNotAllowed('GET'));
  app.get('/readyz', async (context) => {
    const readiness = await options.readiness();
    return context.json(readiness, readiness.ready ? 200 : 503);
  });
  app.all('/readyz', methodNotAllowed('GET'));

  app.get('/v1/models', (context) => {
    const caller = callerOf(context);
    return context.json({ object: 'list', data: allowedRoutes(options.routes, caller).map(modelEntry) });
  });
  app.all('/v1/models', methodNotAllowed('GET'));
  app.get('/v1/models/:model{.+}', (context) => {
    const caller = callerOf(context);
    const route = routeOfModel(context.req.param('model'));
    if (!allowedRoutes(options.routes, caller).includes(route)) throw unknownRoute(route, options.routes, caller);
    return context.json(modelEntry(route));
  });

  app.post(
    '/v1/chat/completions',
    // The key and the rate are checked before the body is read.
    async (context, next) => {
      const caller = callerOf(context);
      rateLimiter.take(caller);
      context.set('caller', caller);
      await next();
    },
    limitRequestBody({ limitBytes: options.settings.maximumBodyBytes }),
    async (context) => {
      const caller = context.get('caller')!;
      const call = parseChatCompletionRequest(await readJsonBody(context));
      checkCall(call, options.routes, caller);
      context.set('route', call.route);
      const timeoutMs = requestTimeoutOf(context.req.raw.headers, options.settings.requestTimeoutMs);
      const idempotencyKey = idempotencyKeyOf(context.req.raw.headers) ?? randomUUID();
      // The caller's name scopes its keys: another caller's same key is another request.
      const requestId = `api:${caller.name}:${idempotencyKey}`;
      const request = {
        requestId,
        route: call.route,
        messages: call.messages,
        ...(call.temperature !== undefined ? { temperature: call.temperature } : {}),
        ...(call.maxOutputTokens !== undefined ? { maxOutputTokens: call.maxOutputTokens } : {}),
        ...(call.outputSchema ? { outputSchema: call.outputSchema } : {}),
        tags: tagsOf(call, caller),
      };
      const fingerprint = requestFingerprint(request);
      const started = await startCascade(options.cascades, request, { [requestFingerprintMemo]: fingerprint });
      context.set('workflowId', started.workflowId);
      const identity = { workflowId: started.workflowId, requestId, idempotencyKey };
      if (started.existing) await checkSameRequest(options.cascades, { ...identity, fingerprint });
      const result = await awaitResult({
        cascades: options.cascades,
        workflowId: started.workflowId,
        timeoutMs,
        signal: context.req.raw.signal,
        identity,
      });
      const summary = cascadeSummaryOf(result, {
        workflowId: started.workflowId,
        existing: started.existing,
        webUiUrl:
          options.webUi &&
          workflowWebUiUrl({
            uiUrl: options.webUi.url,
            namespace: options.webUi.namespace,
            workflowId: started.workflowId,
          }),
      });
      const parts = { id: `chatcmpl-${idempotencyKey}`, created: Math.floor(Date.now() / 1000), result, summary };
      const headers = cascadeHeaders({ ...identity, result });
      if (!call.stream) return context.json(chatCompletionOf(parts), 200, headers);
      return context.body(chatCompletionEvents({ ...parts, includeUsage: call.includeUsage }), 200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
      });
    },
  );
  app.all('/v1/chat/completions', methodNotAllowed('POST'));
  return app;
}

/**
 * One line per request at `info` (`debug` for health probes): method, path, status, milliseconds, the
 * caller's name and the cascade's workflow id when known. Never a key, a prompt or an answer.
 */
function accessLog(logger: Logger): MiddlewareHandler<ApiEnv> {
  return async (context, next) => {
    const startedAt = performance.now();
    await next();
    const caller = context.get('caller');
    const workflowId = context.get('workflowId');
    const probe = context.req.path === '/healthz' || context.req.path === '/readyz';
    logger[probe ? 'debug' : 'info'](
      {
        method: context.req.method,
        path: context.req.path,
        status: context.res.status,
        durationMs: Math.round(performance.now() - startedAt),
        ...(caller ? { caller: caller.name } : {}),
        ...(workflowId ? { workflowId } : {}),
        ...(context.res.headers.get('x-cascade-outcome')
          ? { outcome: context.res.headers.get('x-cascade-outcome') }
          : {}),
      },
      'API request',
    );
  };
}

function countRequests(metrics: ApiMetrics, routes: RouteCatalog): MiddlewareHandler<ApiEnv> {
  return async (context, next) => {
    const startedAt = performance.now();
    await next();
    const route = context.get('route');
    metrics.recordRequest({
      route: route && routes.has(route) ? route : 'other',
      status: context.res.status,
      caller: context.get('caller')?.name ?? 'unauthenticated',
      durationSeconds: (performance.now() - startedAt) / 1000,
    });
  };
}

/** The checks that need the routes and the caller: the route, the caller's right to it, the schema's gate, the size. */
function checkCall(call: ChatCompletionCall, routes: RouteCatalog, caller: ApiCaller): void {
  if (!routes.has(call.route)) throw unknownRoute(call.route, routes, caller);
  checkRouteAllowed(caller, call.route);
  const policy = routes.get(call.route);
  if (
    call.outputSchema &&
    policy.mode !== 'flagship-only' &&
    !gateLeaves(policy.gate).some(
      ({ gate }) =>
        gate.kind === 'json-schema' &&
        // `json_object` asks for JSON only, which any json-schema gate checks.
        (call.responseFormat === 'json_object' || (gate.schema === undefined && gate.schemaName === undefined)),
    )
  )
    throw new RefusedRequestError({
      status: 400,
      param: 'response_format',
      message: `response_format: the gate of route "${call.route}" does not check answers against the request's schema (it has no json-schema gate, or that gate has its own schema), so the cheap answer would not be held to it; use a route with a json-schema gate that names no schema`,
    });
  const sizeProblem = requestSizeProblem(messageBytes(call.messages), routes.limits.maximumRequestBytes);
  if (sizeProblem) throw new RefusedRequestError({ status: 413, param: 'messages', message: sizeProblem });
}

function tagsOf(call: ChatCompletionCall, caller: ApiCaller): Record<string, string> {
  return {
    ...call.tags,
    ...(caller === openCaller ? {} : { caller: caller.name }),
    // The key's customer, never one the body names.
    ...(caller.customer ? { customer: caller.customer } : {}),
  };
}

async function startCascade(
  cascades: CascadeClient,
  request: Parameters<CascadeClient['start']>[0],
  memo: Record<string, unknown>,
): ReturnType<CascadeClient['start']> {
  try {
    return await cascades.start(request, { memo });
  } catch (error) {
    if (InvalidCascadeRequestError.isInstance(error))
      throw new RefusedRequestError({ status: 400, message: error.message.replace(/^invalid cascade request: /, '') });
    if (isGrpcServiceError(error) || (error as Error).name === 'ServiceError')
      throw new RefusedRequestError({
        status: 503,
        message: `Temporal did not take the cascade: ${(error as Error).message}`,
        headers: { 'retry-after': '1' },
      });
    throw error;
  }
}

/** The memo field that holds a request's fingerprint, to tell a repeat from another request under a used key. */
const requestFingerprintMemo = 'cascadeApiRequestSha256';

/** SHA-256 of what decides an answer: route, messages, sampling, schema and tags (in a fixed order). */
function requestFingerprint(request: Parameters<CascadeClient['start']>[0]): string {
  const decisive = [
    request.route,
    request.messages,
    request.temperature ?? null,
    request.maxOutputTokens ?? null,
    request.outputSchema ?? null,
    Object.entries(request.tags ?? {}).sort(([left], [right]) => left.localeCompare(right)),
  ];
  return createHash('sha256').update(JSON.stringify(decisive)).digest('hex');
}

/**
 * Throws a `RefusedRequestError` (422) when the cascade already started under this idempotency key was
 * started for another request: its answer would not be this request's. A cascade started by another
 * client (no fingerprint in its memo) is taken as the same.
 */
async function checkSameRequest(
  cascades: CascadeClient,
  options: { workflowId: string; requestId: string; idempotencyKey: string; fingerprint: string },
): Promise<void> {
  const description = await cascades.temporal.workflow.getHandle(options.workflowId).describe();
  const recorded = description.memo?.[requestFingerprintMemo];
  if (recorded === undefined || recorded === options.fingerprint) return;
  throw new RefusedRequestError({
    status: 422,
    code: 'idempotency_key_reused',
    param: 'idempotency-key',
    message: `Idempotency-Key ${options.idempotencyKey} was first used for another request (another route, messages, sampling, schema or tags); use a new key for a new request`,
    headers: cascadeHeaders(options),
  });
}

/**
 * The cascade's result, or a `RefusedRequestError`: 504 when it takes longer than the time budget (the
 * cascade goes on), 502 (or the request's own status) when it failed. A caller that disconnects stops the
 * wait, never the cascade.
 */
async function awaitResult(options: {
  cascades: CascadeClient;
  workflowId: string;
  timeoutMs: number;
  signal: AbortSignal;
  identity: { workflowId: string; requestId: string; idempotencyKey: string };
}): Promise<CascadeResult> {
  try {
    return await awaitCascadeResult({
      client: options.cascades,
      workflowId: options.workflowId,
      abortSignal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  } catch (error) {
    if (CascadeWaitTimeoutError.isInstance(error))
      throw new RefusedRequestError({
        status: 504,
        message: `the cascade did not finish within ${options.timeoutMs} ms; it goes on: send the same request again with Idempotency-Key: ${options.identity.idempotencyKey} to get its answer (workflow ${options.workflowId})`,
        headers: cascadeHeaders(options.identity),
      });
    if (CascadeFailedError.isInstance(error)) throw cascadeFailure(error, options.identity);
    if (options.signal.aborted)
      throw new RefusedRequestError({ status: 400, message: 'the caller disconnected; the cascade goes on' });
    throw error;
  }
}

function cascadeFailure(
  error: CascadeFailedError,
  identity: { workflowId: string; requestId: string; idempotencyKey: string },
): RefusedRequestError {
  const retryAfter = budgetRetryAfterSeconds(error);
  return new RefusedRequestError({
    status: cascadeFailureStatus(error.type),
    code: error.type,
    message: `the cascade failed (${error.type}): ${error.message}`,
    headers: {
      ...cascadeHeaders({ ...identity, failed: true }),
      ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
    },
  });
}

function allowedRoutes(routes: RouteCatalog, caller: ApiCaller): string[] {
  return routes.names().filter((route) => !caller.routes || caller.routes.includes(route));
}

function unknownRoute(route: string, routes: RouteCatalog, caller: ApiCaller): RefusedRequestError {
  return new RefusedRequestError({
    status: 404,
    param: 'model',
    message: `model: no route "${route}" (routes: ${allowedRoutes(routes, caller).join(', ')}; also written ${routeModelPrefix}<route>)`,
  });
}

function modelEntry(route: string) {
  return { id: route, object: 'model' as const, created: 0, owned_by: 'temporal-cascade' };
}

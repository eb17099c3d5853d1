import { setTimeout as delay } from 'node:timers/promises';
import type { Context, Hono } from 'hono';
import type { Logger } from 'pino';
import { datasetRowHeader, describeIssues } from '../../contracts/cascade/cascade-request';
import { promptKey } from '../../evaluation/datasets/prompt-key';
import { isAuthorized, unauthorizedRefusal } from './api-key';
import type { CallLog, CallLogEntry } from './call-log';
import { chatCompletionRequestSchema, maximumCompletionTokens, toPromptMessages } from './chat-completion-request';
import type { FaultCounter } from './fault-counter';
import type { Outages } from './outages';
import { methodNotAllowed, openAIErrorResponse } from '../../http/http-app';
import type { OpenAIErrorStatus } from '../../http/openai-error';
import { buildChatCompletion } from './openai-response';
import { InvalidJsonBodyError } from '../../http/refused-request';
import { limitRequestBody, readJsonBody } from '../../http/request-body';
import type { ServedModel } from './served-model';

/** What the chat completions route needs from the server. */
export interface ChatCompletionRouteContext {
  models: ReadonlyMap<string, ServedModel>;
  callLog: CallLog;
  faultCounter: FaultCounter;
  /** Outages injected through `POST /admin/outages`: a model down for every prompt. */
  outages: Outages;
  apiKey: string | undefined;
  bodyLimitBytes: number;
  /** Aborted when the server stops, so no latency wait outlives it. */
  stopSignal: AbortSignal;
  nextCompletionId(): string;
  logger: Logger | undefined;
}

const chatCompletionsPath = '/v1/chat/completions';

/** Adds `POST /v1/chat/completions` to `app`, and a 405 for its other methods. */
export function addChatCompletionRoute(app: Hono, route: ChatCompletionRouteContext): void {
  app.post(
    chatCompletionsPath,
    limitRequestBody({
      limitBytes: route.bodyLimitBytes,
      onRefused: (context) =>
        route.callLog.record({
          model: '',
          status: 413,
          promptKey: null,
          at: new Date().toISOString(),
          ...datasetRowEntry(context),
        }),
    }),
    (context) => handleChatCompletion(route, context),
  );
  app.all(chatCompletionsPath, methodNotAllowed('POST'));
}

/** Validates, counts, and answers with the served model's outcome. */
async function handleChatCompletion(route: ChatCompletionRouteContext, context: Context): Promise<Response> {
  const at = new Date().toISOString();
  const datasetRow = datasetRowEntry(context);
  let model = '';
  let key: string | null = null;
  const record = (status: number | null): void =>
    route.callLog.record({ model, status, promptKey: key, at, ...datasetRow });
  const fail = (options: {
    status: OpenAIErrorStatus;
    message: string;
    code?: string;
    param?: string;
    retryAfterSeconds?: number;
  }): Response => {
    record(options.status);
    const headers: Record<string, string> =
      options.retryAfterSeconds === undefined ? {} : { 'retry-after': String(options.retryAfterSeconds) };
    const { status, message, code, param } = options;
    return openAIErrorResponse(context, { status, message, code, param, headers });
  };

  let body: unknown;
  let invalidBody: InvalidJsonBodyError | undefined;
  try {
    body = await readJsonBody(context);
  } catch (error) {
    if (!InvalidJsonBodyError.isInstance(error)) throw error;
    invalidBody = error;
  }
  if (typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string')
    model = body.model;

  // As at OpenAI, a missing key is reported before anything wrong with the body.
  if (!isAuthorized(context, route.apiKey)) return fail(unauthorizedRefusal);
  if (invalidBody !== undefined) return fail(invalidBody);
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) {
    return fail({ status: 400, message: describeIssues(parsed.error), param: parsed.error.issues[0]?.path.join('.') });
  }
  const chatRequest = parsed.data;
  const messages = toPromptMessages(chatRequest.messages);
  key = promptKey(messages);
  if (chatRequest.stream === true) {
    return fail({
      status: 400,
      message: 'stream: true is not supported by the local model server; send stream: false',
      code: 'streaming_unsupported',
      param: 'stream',
    });
  }
  const served = route.models.get(model);
  if (served === undefined) {
    const known = [...route.models.keys()].join(', ') || '(none)';
    return fail({
      status: 404,
      message: `The model "${model}" does not exist on this model server; it serves: ${known}`,
      param: 'model',
    });
  }

  const outage = route.outages.of(model);
  if (outage?.hang) {
    record(null);
    await untilAborted(AbortSignal.any([route.stopSignal, context.req.raw.signal]));
    return unreadResponse();
  }
  if (outage) {
    const status = outage.status ?? 503;
    return fail({
      status,
      message: `The model "${model}" is down: an outage injected through /admin/outages answers ${status} to every call`,
      ...(outage.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: outage.retryAfterSeconds }),
    });
  }

  const callNumber = route.faultCounter.nextCall({ model, promptKey: key });
  const outcome = served.answer({
    model,
    messages,
    promptKey: key,
    callNumber,
    temperature: chatRequest.temperature ?? undefined,
    datasetRowId: datasetRow.datasetRowId,
  });
  route.logger?.debug(
    { model, promptKey: key, datasetRowId: datasetRow.datasetRowId, callNumber, outcome: outcome.kind },
    'chat completion call',
  );
  // Ends when the client goes away or the server stops: either way no one reads the answer any more.
  const abandoned = AbortSignal.any([route.stopSignal, context.req.raw.signal]);
  if (outcome.kind === 'hang') {
    // Held open on purpose, until the client's timeout or the server's stop cuts the connection.
    record(null);
    await untilAborted(abandoned);
    return unreadResponse();
  }
  if (outcome.kind === 'error') return fail(outcome);

  record(200);
  if (outcome.latencyMs > 0 && !(await waitUnlessAborted({ milliseconds: outcome.latencyMs, signal: abandoned })))
    return unreadResponse();
  return context.json(
    buildChatCompletion({
      id: route.nextCompletionId(),
      model,
      created: Math.floor(Date.now() / 1000),
      answer: outcome,
      logprobs: chatRequest.logprobs === true,
      topLogprobs: chatRequest.top_logprobs ?? 0,
      maximumTokens: maximumCompletionTokens(chatRequest),
    }),
  );
}

/** The `X-Cascade-Dataset-Row` header, which replay-dataset row the caller re-asks, as a call log field. */
function datasetRowEntry(context: Context): Pick<CallLogEntry, 'datasetRowId'> {
  const datasetRowId = context.req.header(datasetRowHeader);
  return datasetRowId === undefined ? {} : { datasetRowId };
}

/** Waits, unless `signal` aborts first; tells whether the wait ran its course. */
async function waitUnlessAborted(options: { milliseconds: number; signal: AbortSignal }): Promise<boolean> {
  try {
    await delay(options.milliseconds, undefined, { signal: options.signal });
    return true;
  } catch {
    return false;
  }
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** What a route returns once its connection is gone: the server writes it nowhere. */
function unreadResponse(): Response {
  return new Response(null, { status: 499 });
}
